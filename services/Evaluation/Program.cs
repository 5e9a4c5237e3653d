using MotCua.Evaluation.Indicators;
using MotCua.Evaluation.Officials;
using MotCua.Evaluation.Policy;
using MotCua.Evaluation.Rankings;
using MotCua.Evaluation.Ratings;
using MotCua.Data;
using MotCua.Organisation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("evaluation", bus =>
{
    bus.AddDirectoryConsumers();
    bus.AddOutcomeProjections();
});
builder.Services.AddUnitDirectory();

var app = builder.Build();
app.UseServiceDefaults();
app.MapUnitReport();
app.MapDailyTrend();
app.MapOfficialReport();
app.MapRankings();
app.MapEvaluationPolicy();
app.MapRateDossier();
app.MapRebuild();
app.Run();
