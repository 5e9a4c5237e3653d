using MotCua.Evaluation.Indicators;
using MotCua.Evaluation.Ratings;
using MotCua.ServiceDefaults;
using MotCua.ServiceDefaults.Directory;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("evaluation", bus =>
{
    bus.AddDirectoryConsumers();
    bus.AddOutcomeProjections();
});

var app = builder.Build();
app.UseServiceDefaults();
app.MapUnitIndicators();
app.MapRateDossier();
app.MapRebuild();
app.Run();
