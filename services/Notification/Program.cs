using MotCua.Notification.Deliveries;
using MotCua.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("notification", bus => bus.AddConsumer<DossierReceivedNotifier>());

var app = builder.Build();
app.UseServiceDefaults();
app.MapDeliveryLog();
app.Run();
