using Microsoft.Extensions.Localization;

namespace JusticeTracker;

/// <summary>
/// The one set of texts for every page, in Resources/SharedResource[.fr|.es].resx. Codes are
/// looked up as "Type.Member" (e.g. "Stage.Reported"), other texts by their English wording.
/// (This file is not named SharedResource.cs on purpose: the SDK would then embed the .resx
/// files under the class's name instead of the Resources folder's, and no text would be found.)
/// </summary>
public sealed class SharedResource;

public static class Texts
{
    /// <summary>The label of a code in the taxonomy, in the reader's language.</summary>
    public static string Label<T>(this IStringLocalizer localizer, T value) where T : struct, Enum =>
        localizer[$"{typeof(T).Name}.{value}"];
}
