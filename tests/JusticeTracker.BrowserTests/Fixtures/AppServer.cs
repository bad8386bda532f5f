using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace JusticeTracker.BrowserTests.Fixtures;

/// <summary>
/// The app as a real server in a child process (a browser needs real HTTP), with demo data in a
/// database of its own, dropped and created again at each start so every run begins clean.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    public const string DatabaseName = "justicetracker_browser";

    private const string ConnectionVariable = "JT_CONNECTION_STRING";
    private const string DefaultConnection =
        "Host=127.0.0.1;Port=55432;Database=justicetracker_test;Username=justicetracker;Password=justicetracker";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ConcurrentQueue<string> output = new();
    private readonly StreamWriter log;
    private readonly Process process;

    private AppServer(Process process, Uri address, StreamWriter log)
    {
        this.process = process;
        this.log = log;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What the app wrote to stdout and stderr, last lines last.</summary>
    public string Output(int lastLines = 200) => string.Join(Environment.NewLine, output.TakeLast(lastLines));

    public static async Task<AppServer> StartAsync()
    {
        if (!File.Exists(Repository.AppAssembly))
        {
            throw new InvalidOperationException($"The app is not built: {Repository.AppAssembly} is missing. Build the solution in {Repository.Configuration} first.");
        }

        var connectionString = await RecreateDatabaseAsync();
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Repository.AppProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.AppAssembly);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment[ConnectionVariable] = connectionString;
        start.Environment["Demo__Seed"] = "true";
        start.Environment["Demo__Cases"] = "400";
        start.Environment["RateLimits__SignInPerMinute"] = "1000";
        start.Environment["RateLimits__RequestsPerMinute"] = "100000";

        Directory.CreateDirectory(Path.GetDirectoryName(Repository.AppLog)!);
        var log = new StreamWriter(Repository.AppLog, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var server = new AppServer(process, address, log);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();

        try
        {
            await server.WaitUntilServingAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await process.WaitForExitAsync();
        process.Dispose();
        await log.DisposeAsync();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private void Stop()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started, or already gone.
        }
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} before serving.{Environment.NewLine}{Output()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/dev/sign-in", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"GET /dev/sign-in did not answer 200 within {StartTimeout.TotalSeconds} s.{Environment.NewLine}{Output()}");
    }

    /// <summary>Drops and creates the browser tests' database on the server the tests are given, and returns its connection string.</summary>
    private static async Task<string> RecreateDatabaseAsync()
    {
        var given = Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } configured ? configured : DefaultConnection;
        var app = new NpgsqlConnectionStringBuilder(given) { Database = DatabaseName };
        var maintenance = new NpgsqlConnectionStringBuilder(given) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", $"CREATE DATABASE {DatabaseName}" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        return app.ConnectionString;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host running these tests, or the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";
}
