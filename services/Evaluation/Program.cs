using MotCua.Evaluation.Indicators;
using MotCua.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("evaluation", bus => bus.AddConsumer<ReceivedCounter>());

var app = builder.Build();
app.UseServiceDefaults();
app.MapUnitIndicators();
app.Run();
