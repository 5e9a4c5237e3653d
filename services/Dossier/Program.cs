using MotCua.Dossier.Dossiers;
using MotCua.ServiceDefaults;
using MotCua.ServiceDefaults.Directory;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("dossier", bus => bus.AddDirectoryConsumers());

var app = builder.Build();
app.UseServiceDefaults();
app.MapIntake();
app.MapDossierLookup();
app.MapPublicLookup();
app.Run();
