using System.Reflection;
using JasperFx;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Hosting;

/// <summary>The built app's command line and its start-up write what an operator needs, and no noise.</summary>
public sealed class CommandTests
{
    private static readonly Dictionary<string, string> Node = new()
    {
        ["DevSignIn__Enabled"] = "true",
        ["Demo__Seed"] = "false",
        ["FollowUps__CheckOnEveryChange"] = "false",
    };

    [Fact]
    public async Task the_command_line_lists_its_commands_without_searching_lines()
    {
        var (exitCode, output) = await AppNode.RunCommandAsync(AppFixture.ConnectionString, Node, Repository.AppProject, "help");

        Assert.True(exitCode == 0, output);
        Assert.Contains("migrate", output, StringComparison.Ordinal);
        Assert.Contains("codegen", output, StringComparison.Ordinal);
        Assert.Contains("projections", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Searching", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_web_host_starts_without_searching_lines()
    {
        await using var node = await AppNode.StartAsync("quiet", AppFixture.ConnectionString, Node);

        Assert.Contains("Now listening on", node.Output(), StringComparison.Ordinal);
        Assert.DoesNotContain("Searching", node.Output(2000), StringComparison.Ordinal);
    }

    /// <summary>
    /// Marking JasperFx extensions applied (Hosting/Commands.cs) is only harmless while there are
    /// none to apply: an assembly of the app that brings one must have it applied for real.
    /// </summary>
    [Fact]
    public void no_assembly_of_the_app_declares_a_jasperfx_extension()
    {
        var marked = Directory.GetFiles(Path.GetDirectoryName(Repository.AppAssembly)!, "*.dll")
            .Select(Load)
            .OfType<Assembly>()
            .Select(a => (Assembly: a, Attribute: a.GetCustomAttribute<JasperFxAssemblyAttribute>()))
            .Where(a => a.Attribute is not null)
            .ToList();

        Assert.Contains(marked, a => a.Assembly.GetName().Name == "Marten");
        Assert.Empty(marked.Where(a => a.Attribute!.ExtensionType is not null).Select(a => a.Assembly.GetName().Name));
    }

    private static Assembly? Load(string path)
    {
        try
        {
            return Assembly.LoadFrom(path);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
        catch (FileLoadException)
        {
            return null;
        }
    }
}
