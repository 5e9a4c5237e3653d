// What nearly every Personnel use case reads and writes with.
global using MotCua.Data.Database;
global using MotCua.Data.Messaging;
global using MotCua.Hosting.Http;
global using MotCua.Hosting.Security;
global using MotCua.Hosting.Time;
global using MotCua.Organisation;
global using Npgsql;
