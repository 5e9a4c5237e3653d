using MassTransit;
using MotCua.Contracts;
using MotCua.Notification.Channels;
using MotCua.Notification.Deliveries;
using MotCua.Notification.Feed;
using MotCua.Notification.Templates;
using MotCua.Data;
using MotCua.Organisation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("notification", bus =>
{
    bus.AddDirectoryConsumers();
    bus.AddDirectoryContacts();
    bus.AddNotifier<DossierReceived>();
    bus.AddNotifier<DossierSupplementRequested>();
    bus.AddNotifier<DossierPaymentRequested>();
    bus.AddNotifier<DossierRefused>();
    bus.AddNotifier<DossierRejected>();
    bus.AddNotifier<DossierResolved>();
    bus.AddNotifier<DossierReturned>();
    bus.AddNotifier<ApologyIssued>();
    bus.AddNotifier<ApologyDrafted>();
    bus.AddNotifier<DossierAtRisk>();
    bus.AddNotifier<DossierOverdue>();
    bus.AddNotifier<DossierEscalated>();
    bus.AddNotifier<DossierStepCompleted>();
    bus.AddNotifier<DossierStepAssigned>();
    bus.AddFeedConsumers();
});
builder.Services.AddUnitDirectory();
builder.Services.AddSingleton<TemplateStore>();
builder.Services.AddSingleton<QuietHours>();
builder.Services.AddSingleton<EventFeed>();
builder.Services.AddChannels(builder.Configuration);
builder.Services.AddOptions<DeliveryOptions>().Bind(builder.Configuration.GetSection("Notification:Delivery"));
builder.Services.AddHostedService<DeliveryWorker>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDeliveryLog();
app.MapTemplatesApi();
app.MapEventStream();
app.Run();
