namespace JusticeTracker.BrowserTests.Fixtures;

/// <summary>Where things are in the working copy the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder that holds JusticeTracker.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The build configuration the tests were built in, read from their own output path
    /// (…/bin/&lt;Configuration&gt;/net10.0/): the app was built beside them in the same one.
    /// </summary>
    public static string Configuration { get; } =
        Directory.GetParent(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory))!.Name;

    public static string AppProject => Path.Combine(Root, "src", "JusticeTracker");

    public static string AppAssembly => Path.Combine(AppProject, "bin", Configuration, "net10.0", "JusticeTracker.dll");

    /// <summary>axe-core, installed from npm by infra/test.sh into a git-ignored folder.</summary>
    public static string AxeScript => Path.Combine(Root, ".local", "axe", "node_modules", "axe-core", "axe.min.js");

    public static string Screenshots => Path.Combine(Root, ".local", "screenshots");

    public static string AppLog => Path.Combine(Root, ".local", "browser-tests-app.log");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "JusticeTracker.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"JusticeTracker.sln was not found above {AppContext.BaseDirectory}.");
    }
}
