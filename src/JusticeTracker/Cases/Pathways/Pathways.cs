using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wolverine.Http;

namespace JusticeTracker.Cases.Pathways;

[JsonConverter(typeof(JsonStringEnumConverter<LegalSystem>))]
public enum LegalSystem { CommonLaw, CivilLaw, Mixed }

/// <summary>
/// One step of a country's legal pathway, in the country's own words, counted as exactly one
/// common step: an entry kind, and the value of its choice when the local step fixes it (a
/// <i>constitution de partie civile</i> is always "joined the proceedings: civil party").
/// </summary>
/// <param name="Code">Stable and never reused: entries keep it. A step taken off the pathway is marked <paramref name="Retired"/>, never deleted.</param>
/// <param name="Step">The entry kind it is recorded as: the common step statistics count.</param>
/// <param name="Choice">The value of the kind's choice the local step always has, if it fixes one.</param>
/// <param name="Name">The step in the country's words, as its lawyers write it.</param>
/// <param name="Meaning">What it is, in each language of the interface.</param>
/// <param name="Retired">Still read on the entries that name it, but no longer offered.</param>
public sealed record LocalStage(string Code, string Step, string? Choice, string Name, IReadOnlyDictionary<string, string> Meaning, bool Retired = false)
{
    [JsonIgnore]
    public EntryKind Kind => EntryKinds.Named(Step)!;

    [JsonIgnore]
    public Track Track => Kind.Track!.Value;

    /// <summary>The country whose pathway it is on: its code begins with it.</summary>
    [JsonIgnore]
    public string Country => Code[..Code.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>What the step is in a language, or in English when that language has no text yet.</summary>
    public string MeaningIn(string language) => Meaning.TryGetValue(language, out var text) ? text : Meaning["en"];
}

/// <summary>A country's legal pathway: its legal system and its own steps, each mapped to one common step.</summary>
public sealed record Pathway(string Country, LegalSystem LegalSystem, string Language, IReadOnlyList<LocalStage> Stages)
{
    /// <summary>The steps a record form offers: those still in use.</summary>
    public IEnumerable<LocalStage> Offered(Track track) => Stages.Where(s => !s.Retired && s.Track == track);
}

/// <summary>
/// The legal pathways of the countries that have one. The secretariat keeps them as JSON files
/// beside this class, under version control (ADR 28); they are read once from the assembly and
/// checked as they are read, so a profile that breaks a rule stops the application from starting
/// instead of recording entries no report can count.
/// </summary>
public static class Pathways
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public static readonly IReadOnlyList<Pathway> All = Load();

    private static readonly FrozenDictionary<string, Pathway> ByCountry = All.ToFrozenDictionary(p => p.Country, StringComparer.OrdinalIgnoreCase);
    private static readonly FrozenDictionary<string, LocalStage> ByCode = All.SelectMany(p => p.Stages).ToFrozenDictionary(s => s.Code, StringComparer.Ordinal);

    /// <summary>The pathway of a country, if it has one.</summary>
    public static Pathway? Of(string? country) => country is not null && ByCountry.TryGetValue(country, out var pathway) ? pathway : null;

    /// <summary>A local step by its code, from any country: an entry keeps its step after the case moves.</summary>
    public static LocalStage? Named(string? code) => code is not null && ByCode.TryGetValue(code, out var stage) ? stage : null;

    /// <summary>
    /// Why an entry cannot be recorded as the local step it names, or null when it can: the step
    /// must be on the pathway of the case's country (and still offered, for a new entry), and
    /// the entry must be the common step it maps to, with the value it fixes. A correction may
    /// keep the step of the entry it corrects (<paramref name="kept"/>), even on a case that
    /// moved to another country since.
    /// </summary>
    public static string? Problem(string country, CaseEntry details, string? code, bool correcting, string? kept = null)
    {
        if (code is null)
        {
            return null;
        }

        var stage = code == kept ? Named(code) : Of(country)?.Stages.FirstOrDefault(s => s.Code == code);
        if (stage is null || (stage.Retired && !correcting))
        {
            return "This step is not on the legal pathway of the case's country. Choose one of its steps, or a common step.";
        }

        if (stage.Kind.Type != details.GetType())
        {
            return "This step of the country's pathway is recorded as another kind of entry.";
        }

        return stage.Choice is not null && ChoiceOf(details) != stage.Choice
            ? "This step of the country's pathway always has the value shown: keep it, or choose a common step."
            : null;
    }

    /// <summary>The value of an entry's choice (its channel, reason, route…), by its code name.</summary>
    public static string? ChoiceOf(CaseEntry details) =>
        ChoiceProperties.GetValueOrDefault(details.GetType())?.GetValue(details)?.ToString();

    private static readonly FrozenDictionary<Type, PropertyInfo> ChoiceProperties = EntryKinds.All
        .Where(k => k.Choice is not null)
        .ToFrozenDictionary(k => k.Type, k => k.Type.GetProperties().Single(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == k.Choice));

    private static List<Pathway> Load()
    {
        var assembly = typeof(Pathways).Assembly;
        var pathways = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Pathways.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                var pathway = JsonSerializer.Deserialize<Pathway>(stream, Json) ?? throw new InvalidOperationException($"{name} is empty.");
                return Check(pathway, name);
            })
            .ToList();
        var repeated = pathways.SelectMany(p => p.Stages).GroupBy(s => s.Code).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? pathways : throw new InvalidOperationException($"The pathway step code {repeated.Key} is used twice.");
    }

    /// <summary>The rules every profile keeps: a test reads the same ones (PathwayTests).</summary>
    private static Pathway Check(Pathway pathway, string file)
    {
        void Require(bool rule, string what)
        {
            if (!rule)
            {
                throw new InvalidOperationException($"Legal pathway {file}: {what}");
            }
        }

        Require(IsoCodes.IsCountry(pathway.Country) && file == $"Pathways.{pathway.Country}.json", "the file must be named after its country's ISO 3166-1 alpha-2 code.");
        foreach (var stage in pathway.Stages)
        {
            var kind = EntryKinds.Named(stage.Step);
            Require(stage.Code.StartsWith(pathway.Country + ".", StringComparison.Ordinal), $"{stage.Code} must begin with {pathway.Country}.");
            Require(kind is { Stage: not null, Track: not null, OnRecordForm: true }, $"{stage.Code} maps to {stage.Step}, which is not a common step.");
            Require(stage.Choice is null || (kind!.Choice is { } choice && Enum.GetNames(choice).Contains(stage.Choice, StringComparer.Ordinal)), $"{stage.Code} fixes {stage.Choice}, which {stage.Step} does not take.");
            Require(!string.IsNullOrWhiteSpace(stage.Name) && stage.Meaning.ContainsKey("en"), $"{stage.Code} needs a name and an English meaning.");
        }

        return pathway;
    }
}

public static class PathwayEndpoints
{
    /// <summary>Every country's legal pathway: the codes a client sends as an entry's <c>localStage</c>, and the common step each is recorded as.</summary>
    [WolverineGet("/api/pathways")]
    public static IReadOnlyList<Pathway> GetAll() => Pathways.All;

    /// <summary>One country's legal pathway, or 404 for a country that has none.</summary>
    [WolverineGet("/api/pathways/{country}")]
    public static IResult Get(string country) => Pathways.Of(country) is { } pathway ? Results.Ok(pathway) : Results.NotFound();
}
