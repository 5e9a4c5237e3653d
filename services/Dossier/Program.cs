using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Feedback;
using MotCua.Dossier.Lateness;
using MotCua.Dossier.Procedures;
using MotCua.ServiceDefaults;
using MotCua.ServiceDefaults.Directory;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("dossier", bus => bus.AddDirectoryConsumers());
builder.Services.AddSingleton<CalendarStore>();
builder.Services.AddOptions<SweeperOptions>().Bind(builder.Configuration.GetSection("Sweeper"));
builder.Services.AddSingleton<SweeperStatistics>();
builder.Services.AddHostedService<DeadlineSweeper>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapCalendarApi();
app.MapProceduresApi();
app.MapIntake();
app.MapQueue();
app.MapDossierLookup();
app.MapDossierActions();
app.MapWorkflowApi();
app.MapControlSheet();
app.MapApologiesApi();
app.MapPublicLookup();
app.MapFeedbackApi();
app.Run();
