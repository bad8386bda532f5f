using System.Diagnostics;
using Npgsql;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>The checkout the tests run from: its scripts, and the app as built next to the tests.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug: the configuration these tests were built in, and so the app too.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string AppProject => Path.Combine(Root, "src", "JusticeTracker");

    public static string AppAssembly => Path.Combine(AppProject, "bin", Configuration, "net10.0", "JusticeTracker.dll");

    /// <summary>Runs a script of the repository with bash and returns its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Root, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "JusticeTracker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No JusticeTracker.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>Databases of their own, on the tests' server, for tests that need a fresh one.</summary>
public static class Databases
{
    public static string ConnectionTo(string database) =>
        new NpgsqlConnectionStringBuilder(AppFixture.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>Drops the database if it exists; with <paramref name="create"/>, creates it empty.</summary>
    public static async Task<string> RecreateAsync(string database, bool create = true)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(AppFixture.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        var statements = create
            ? new[] { $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", $"CREATE DATABASE {database}" }
            : [$"DROP DATABASE IF EXISTS {database} WITH (FORCE)"];
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionTo(database);
    }

    public static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
