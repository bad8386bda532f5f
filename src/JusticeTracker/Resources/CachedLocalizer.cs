using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace JusticeTracker;

/// <summary>
/// Keeps every text once looked up, per language. <see cref="System.Resources.ResourceManager"/>
/// takes a lock on every lookup; a case page with 200 entries asks for thousands of texts, and
/// under 32 people at once the profile showed a fifth of the time waiting on that lock. The
/// resource files do not change while the app runs, so a text found once stays right.
/// </summary>
public sealed class CachedLocalizerFactory(IOptions<LocalizationOptions> options, ILoggerFactory loggers) : IStringLocalizerFactory
{
    private readonly ResourceManagerStringLocalizerFactory inner = new(options, loggers);
    private readonly ConcurrentDictionary<Type, IStringLocalizer> byType = new();
    private readonly ConcurrentDictionary<(string BaseName, string Location), IStringLocalizer> byName = new();

    public IStringLocalizer Create(Type resourceSource) =>
        byType.GetOrAdd(resourceSource, type => new CachedLocalizer(inner.Create(type)));

    public IStringLocalizer Create(string baseName, string location) =>
        byName.GetOrAdd((baseName, location), key => new CachedLocalizer(inner.Create(key.BaseName, key.Location)));
}

public sealed class CachedLocalizer(IStringLocalizer inner) : IStringLocalizer
{
    private readonly ConcurrentDictionary<(string Culture, string Name), LocalizedString> texts = new();

    public LocalizedString this[string name] =>
        texts.GetOrAdd((CultureInfo.CurrentUICulture.Name, name), key => inner[key.Name]);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            // Formatted as the resource manager localizer does: the found text, in the current culture.
            var text = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text.Value, arguments), text.ResourceNotFound, text.SearchedLocation);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);
}
