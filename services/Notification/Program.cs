using MotCua.Notification.Deliveries;
using MotCua.ServiceDefaults;
using MotCua.ServiceDefaults.Directory;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("notification", bus =>
{
    bus.AddDirectoryConsumers();
    bus.AddConsumer<DossierReceivedNotifier>();
});

var app = builder.Build();
app.UseServiceDefaults();
app.MapDeliveryLog();
app.Run();
