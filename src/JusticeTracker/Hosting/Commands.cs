using JasperFx.CommandLine;

namespace JusticeTracker.Hosting;

/// <summary>
/// The app's command line is JasperFx's (<c>run</c>, <c>migrate</c>, <c>codegen</c>, <c>projections</c>, ...),
/// which finds its commands in every assembly marked for it (JasperFx, Marten, Wolverine, ...).
/// </summary>
public static class Commands
{
    /// <summary>
    /// JasperFx writes "Searching '&lt;assembly&gt;' for commands" to the console for each of those
    /// assemblies, at every start (the web host's <c>run</c> included), until JasperFx extensions
    /// have been applied to a service collection in the process. None of the assemblies the app uses
    /// declares an extension (<c>CommandTests</c> checks), so applying them here adds no service:
    /// it only tells JasperFx they were applied, and the console stays quiet. The commands are found
    /// as before.
    /// </summary>
    public static WebApplicationBuilder ApplyCommandExtensions(this WebApplicationBuilder builder)
    {
        new CommandFactory().ApplyExtensions(builder.Services);
        return builder;
    }
}
