using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Procedures;
using MotCua.ServiceDefaults;
using MotCua.ServiceDefaults.Directory;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("dossier", bus => bus.AddDirectoryConsumers());
builder.Services.AddSingleton<CalendarStore>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapCalendarApi();
app.MapProceduresApi();
app.MapIntake();
app.MapQueue();
app.MapDossierLookup();
app.MapDossierActions();
app.MapControlSheet();
app.MapPublicLookup();
app.Run();
