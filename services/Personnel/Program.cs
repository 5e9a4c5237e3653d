using MotCua.Personnel.Accounts;
using MotCua.ServiceDefaults;
using MotCua.ServiceDefaults.Database;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("personnel");
builder.Services.AddSingleton<TokenIssuer>();
builder.Services.AddSingleton<IStartupStep, AdminAccount>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapTokenEndpoint();
app.Run();
