using System.Globalization;

namespace JusticeTracker.Pages;

public static class DayText
{
    /// <summary>A day as the reader's culture writes it: "12 Mar 2025".</summary>
    public static string ShowDay(this DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>The UTC day of a moment, written the same way.</summary>
    public static string ToShortDay(this DateTime moment) => DateOnly.FromDateTime(moment).ShowDay();
}
