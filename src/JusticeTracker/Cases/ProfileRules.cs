namespace JusticeTracker.Cases;

/// <summary>Rules shared by every decision that dates something or sets the profile.</summary>
public static class ProfileRules
{
    /// <summary>
    /// The latest calendar date anywhere on Earth (UTC+14). A lawyer in Kiribati recording
    /// something that happened today must not be told it is in the future.
    /// </summary>
    public static DateOnly LatestToday(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));

    public static string? FutureDateProblem(FuzzyDate date, DateTimeOffset now) =>
        date.Earliest > LatestToday(now) ? "The date is in the future. Enter when it actually happened." : null;

    public static Problems Check(CaseProfile profile, DateTimeOffset now, Problems problems, string prefix = "") => problems
        .AddIf(!IsoCodes.IsCountry(profile.Country), prefix + "country", "Use the two-letter ISO 3166 code of the country where the case is pursued, for example KE or PH.")
        .AddIf(profile.Forms is null || profile.Forms.Count == 0, prefix + "forms", "Choose at least one form of exploitation.")
        .AddIf(profile.Forms is not null && profile.Forms.Distinct().Count() != profile.Forms.Count, prefix + "forms", "Choose each form of exploitation only once.")
        .AddIf(profile.ExploitationBegan is null, prefix + "exploitationBegan", "Enter when the exploitation began, as precisely as you know it.")
        .Add(prefix + "exploitationBegan", profile.ExploitationBegan is null ? null : FutureDateProblem(profile.ExploitationBegan, now))

        // The API and the forms already refuse a code that is not on the list; this holds for any
        // other caller, since a stored undefined value is one no report counts.
        .AddIf(profile.ExploitationBegan is not null && !Enum.IsDefined(profile.ExploitationBegan.Precision), prefix + "exploitationBegan", NotAChoice)
        .AddIf(!Enum.IsDefined(profile.AgeBand), prefix + "ageBand", NotAChoice)
        .AddIf(!Enum.IsDefined(profile.Sex), prefix + "sex", NotAChoice)
        .AddIf(profile.Forms is not null && profile.Forms.Any(f => !Enum.IsDefined(f)), prefix + "forms", NotAChoice)
        .AddIf(!Enum.IsDefined(profile.OnlineFacilitated), prefix + "onlineFacilitated", NotAChoice)
        .AddIf(!Enum.IsDefined(profile.CrossBorder), prefix + "crossBorder", NotAChoice)
        .AddIf(!Enum.IsDefined(profile.ForeignOffender), prefix + "foreignOffender", NotAChoice)
        .AddIf(!Enum.IsDefined(profile.Disability), prefix + "disability", NotAChoice);

    private const string NotAChoice = "Choose a value from the list.";
}
