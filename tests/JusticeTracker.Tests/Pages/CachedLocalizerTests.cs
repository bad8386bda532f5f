using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JusticeTracker.Tests.Pages;

/// <summary>
/// Texts are kept once looked up (the resource manager's lock showed in the case page's profile).
/// A cache keyed wrongly would show one person's language to the next: these check it is not.
/// </summary>
public sealed class CachedLocalizerTests
{
    private static IStringLocalizer Texts() =>
        new CachedLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)
            .Create(typeof(SharedResource));

    private static T In<T>(string culture, Func<T> read)
    {
        var (ui, current) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            return read();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, current);
        }
    }

    [Fact]
    public void the_same_text_asked_for_in_each_language_in_turn_comes_in_that_language()
    {
        var texts = Texts();

        Assert.Equal("Retracted", In("en", () => texts["Retracted"].Value));
        Assert.Equal("Retiré", In("fr", () => texts["Retracted"].Value));
        Assert.Equal("Retirado", In("es", () => texts["Retracted"].Value));
        Assert.Equal("Retiré", In("fr", () => texts["Retracted"].Value));
        Assert.Equal("Retracted", In("en", () => texts["Retracted"].Value));
    }

    [Fact]
    public void a_text_with_values_is_filled_in_after_the_language_is_chosen()
    {
        var texts = Texts();

        Assert.Equal("Case KE-2026-AB12", In("en", () => texts["Case {0}", "KE-2026-AB12"].Value));
        Assert.Equal("Dossier KE-2026-AB12", In("fr", () => texts["Case {0}", "KE-2026-AB12"].Value));

        // Values are written the way the reader's language writes them.
        Assert.Equal("Case 2.5", In("en", () => texts["Case {0}", 2.5m].Value));
        Assert.Equal("Caso 2,5", In("es", () => texts["Case {0}", 2.5m].Value));
    }

    [Fact]
    public void the_factory_gives_one_localizer_per_resource_so_the_cache_is_shared_between_requests()
    {
        var factory = new CachedLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance);

        Assert.Same(factory.Create(typeof(SharedResource)), factory.Create(typeof(SharedResource)));
    }
}
