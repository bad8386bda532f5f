using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Hosting;

/// <summary>
/// The app runs Wolverine's handlers from code generated ahead of time (ADR 14). If an endpoint
/// or a handler changes and infra/codegen.sh is not run, the committed code would be stale: this
/// generates it afresh, from the app as built, and compares it file by file.
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public async Task the_committed_handler_code_is_what_wolverine_generates_for_the_app_as_it_is()
    {
        var folder = Directory.CreateTempSubdirectory("jt-codegen-");
        try
        {
            // The content root is the working directory, so the code is written under the temp folder.
            var (exitCode, output) = await AppNode.RunCommandAsync(
                AppFixture.ConnectionString, new Dictionary<string, string> { ["DevSignIn__Enabled"] = "true" }, folder.FullName, "codegen", "write");
            Assert.True(exitCode == 0, output);

            var committed = Files(Path.Combine(Repository.AppProject, "Internal", "Generated"));
            var generated = Files(Path.Combine(folder.FullName, "Internal", "Generated"));
            Assert.NotEmpty(generated);
            Assert.Equal(generated.Keys.Order(), committed.Keys.Order());
            foreach (var (name, text) in generated)
            {
                Assert.True(text == committed[name], $"{name} differs from what Wolverine generates now: run infra/codegen.sh and commit the result.");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Files(string root) => Directory.Exists(root)
        ? Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText)
        : [];
}
