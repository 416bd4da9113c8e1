var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "Hello from Dockside's editor tests");
app.Run();
