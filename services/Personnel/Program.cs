using MotCua.Personnel.Accounts;
using MotCua.Personnel.Demo;
using MotCua.Personnel.Officials;
using MotCua.Personnel.Positions;
using MotCua.Personnel.Reports;
using MotCua.Personnel.Standards;
using MotCua.Personnel.Units;
using MotCua.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("personnel");
builder.Services.AddSingleton<TokenIssuer>();
builder.Services.AddSingleton<IStartupStep, AdminAccount>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapTokenEndpoint();
app.MapRegisterUnit();
app.MapMergeUnits();
app.MapUnitQueries();
app.MapRegisterOfficial();
app.MapOfficialQueries();
app.MapTransferOfficial();
app.MapOfficialAdministration();
app.MapPositions();
app.MapStandardRules();
app.MapStaffingReport();
app.MapDemoProvince();
app.Run();
