using MotCua.Performance;

// Benchmarks print figures; they pass or fail nothing. Usage: MotCua.Performance storm [count]
return args.FirstOrDefault() switch
{
    "storm" => await DeadlineStorm.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MotCua.Performance storm [count]   (environment: MOTCUA_GATEWAY, MOTCUA_ADMIN_PASSWORD, MOTCUA_DOSSIER_DB)");
    return 2;
}
