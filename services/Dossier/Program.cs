using MotCua.Dossier.Dossiers;
using MotCua.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("dossier");

var app = builder.Build();
app.UseServiceDefaults();
app.MapIntake();
app.MapDossierLookup();
app.Run();
