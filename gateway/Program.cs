using MotCua.Gateway.Edge;
using MotCua.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeDefaults();
builder.AddProxyRoutes();

var app = builder.Build();
app.UseEdgeDefaults();
app.MapEdgeHealth();
app.MapClockFanOut();
app.MapReverseProxy();
app.Run();
