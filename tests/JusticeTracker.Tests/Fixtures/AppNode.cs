using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using JusticeTracker.Hosting;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// The app as a separate process on loopback, as a node of a deployment runs it: its own port, its
/// own metrics port, the shared database. It can be killed like a crashed container.
/// </summary>
public sealed class AppNode : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> output = new();
    private readonly Process process;
    private bool disposed;

    private AppNode(string name, Process process, Uri address, Uri metrics)
    {
        Name = name;
        this.process = process;
        Address = address;
        Metrics = metrics;
    }

    public string Name { get; }

    public Uri Address { get; }

    /// <summary>The node's Prometheus scrape endpoint, on its metrics port.</summary>
    public Uri Metrics { get; }

    public bool HasExited => process.HasExited;

    public string Output(int lastLines = 80) => string.Join(Environment.NewLine, output.TakeLast(lastLines));

    /// <summary>Runs <c>JusticeTracker migrate</c>, as the deployment's job does before a rollout.</summary>
    public static Task<(int ExitCode, string Output)> MigrateAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null) =>
        RunCommandAsync(connectionString, settings ?? new Dictionary<string, string>(), Repository.AppProject, "migrate");

    /// <summary>
    /// Runs one of the app's commands to its end. The working directory is the app's content root,
    /// so a command that writes files (codegen) writes them there.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(
        string connectionString, IReadOnlyDictionary<string, string> settings, string workingDirectory, params string[] arguments)
    {
        var start = Start(connectionString, settings, arguments);
        start.WorkingDirectory = workingDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task<AppNode> StartAsync(string name, string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        if (!File.Exists(Repository.AppAssembly))
        {
            throw new InvalidOperationException($"The app is not built: {Repository.AppAssembly} is missing.");
        }

        var (port, metricsPort) = (FreePort(), FreePort());
        var start = Start(connectionString, settings);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port};http://127.0.0.1:{metricsPort}";
        start.Environment["Observability__MetricsPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var node = new AppNode(name, new Process { StartInfo = start }, new Uri($"http://127.0.0.1:{port}"), new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        node.process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        node.process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        node.process.Start();
        node.process.BeginOutputReadLine();
        node.process.BeginErrorReadLine();
        try
        {
            await node.WaitUntilReadyAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Ends the process at once, as a crash or an evicted pod would: no graceful shutdown, nothing flushed.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            Kill();
            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static ProcessStartInfo Start(string connectionString, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            WorkingDirectory = Repository.AppProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.AppAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment[CaseStore.ConnectionVariable] = connectionString;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited with {process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(Address, "/health/live"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Node {Name} did not answer within two minutes:\n{Output()}");
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
            while (output.Count > 2000 && output.TryDequeue(out _))
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
