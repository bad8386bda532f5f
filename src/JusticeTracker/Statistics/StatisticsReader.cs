using System.Globalization;
using System.Text;
using JusticeTracker.Cases;
using Npgsql;

namespace JusticeTracker.Statistics;

/// <summary>
/// What an analyst narrows the figures to. Place is a country (ISO code) or a region (UN M49
/// code); "as of" gives the figures as recorded by the end of that day.
/// </summary>
public sealed record ReportFilter(
    string? Place = null,
    int? Year = null,
    AgeBand? AgeBand = null,
    Sex? Sex = null,
    ExploitationForm? Form = null,
    DateOnly? AsOf = null)
{
    public bool PlaceIsRegion => Place is { Length: 3 } && Place.All(char.IsAsciiDigit);

    public int ConditionCount =>
        (Place is null ? 0 : 1) + (Year is null ? 0 : 1) + (AgeBand is null ? 0 : 1) + (Sex is null ? 0 : 1) + (Form is null ? 0 : 1);
}

/// <summary>One figure of a family, with what disclosure control needs to judge it.</summary>
public sealed record Figure(
    decimal Value,
    IReadOnlyList<decimal> UnderWiderFilters,
    IReadOnlyList<Neighbours> NeighbourGroups,
    decimal? Today)
{
    public CountInContext InContext(decimal? total = null) => new(Value, UnderWiderFilters, NeighbourGroups, total, Today);
}

/// <summary>
/// Reads a family of figures from the statistics tables for a filter, with the same figures under
/// every wider filter and among their neighbours. It sums precomputed rows only; the number of rows
/// grows with the countries, years and measures, not with the number of cases.
/// </summary>
public sealed class StatisticsReader(NpgsqlDataSource dataSource)
{
    private const string Schema = "jt";

    /// <summary>
    /// Where the statistics projection stands: its last event and when it last moved. The tables
    /// change only when this does, so a report computed at one stand holds until the next.
    /// </summary>
    public async Task<string> StandAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT last_seq_id, last_updated FROM {Schema}.mt_event_progression WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = StatisticsProjection.Name + ":All" });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)}@{reader.GetFieldValue<DateTimeOffset>(1):O}")
            : "none";
    }

    public async Task<IReadOnlyDictionary<string, Figure>> ReadAsync(string family, ReportFilter filter, CancellationToken ct, IReadOnlyList<string>? measures = null)
    {
        var scopes = Scope.WiderOrEqual(filter).ToList();
        var parameters = new List<object> { family };
        var source = Source(filter.AsOf, parameters, measures, filter.Form);

        // One scan: every measure's sum under the filter and under each wider filter, and today's.
        var sql = new StringBuilder("SELECT measure");
        AppendSums(sql, scopes, parameters);
        sql.Append(CultureInfo.InvariantCulture, $" FROM {source} GROUP BY measure");

        var values = new Dictionary<string, decimal[]>();
        await using (var command = dataSource.CreateCommand(sql.ToString()))
        {
            parameters.ForEach(p => command.Parameters.Add(new NpgsqlParameter { Value = p }));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                values[reader.GetString(0)] = [.. Enumerable.Range(1, scopes.Count + 1).Select(reader.GetDecimal)];
            }
        }

        var neighbours = await NeighboursAsync(family, filter, measures, ct);
        return values.ToDictionary(
            v => v.Key,
            v => new Figure(
                v.Value[0],
                v.Value[1..scopes.Count],
                [.. neighbours.Select(n => new Neighbours(n.Groups.GetValueOrDefault(v.Key) ?? Empty(n.Own), n.Own))],
                filter.AsOf is null ? null : v.Value[scopes.Count]));
    }

    /// <summary>
    /// A few measures of a family for every country, each judged exactly as the same figure would be
    /// with that country chosen as the place: under every wider filter (its region, the network,
    /// fewer conditions), among its neighbours, and today. A comparison table can then show nothing
    /// the country's own page would withhold.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, Figure>>> ReadByCountryAsync(
        string family, IReadOnlyList<string> measures, ReportFilter filter, CancellationToken ct)
    {
        filter = filter with { Place = null };
        var scopes = Scope.WiderOrEqual(filter).ToList();
        var parameters = new List<object> { family };
        var source = Source(filter.AsOf, parameters, null, filter.Form);
        parameters.Add(measures.ToArray());
        var measureParameter = $"${parameters.Count}";
        var sql = new StringBuilder("SELECT country, measure");
        AppendSums(sql, scopes, parameters);
        sql.Append(CultureInfo.InvariantCulture, $" FROM {source} WHERE measure = ANY({measureParameter}) GROUP BY country, measure");

        // country -> measure -> [value under each scope..., today]
        var values = new Dictionary<string, Dictionary<string, decimal[]>>();
        await using (var command = dataSource.CreateCommand(sql.ToString()))
        {
            parameters.ForEach(p => command.Parameters.Add(new NpgsqlParameter { Value = p }));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var country = reader.GetString(0);
                var byMeasure = values.TryGetValue(country, out var m) ? m : values[country] = [];
                byMeasure[reader.GetString(1)] = [.. Enumerable.Range(2, scopes.Count + 1).Select(reader.GetDecimal)];
            }
        }

        // The other conditions' neighbours, per country: one query per condition.
        var splits = new List<(string Own, Dictionary<(string Country, string Measure), Dictionary<string, decimal>> Groups)>();
        foreach (var (column, own, without) in Splits(filter))
        {
            var splitParameters = new List<object> { family };
            var splitSource = Source(filter.AsOf, splitParameters, null, filter.Form);
            var predicate = Scope.Exact(without).Predicate(splitParameters);
            splitParameters.Add(measures.ToArray());
            var groups = new Dictionary<(string, string), Dictionary<string, decimal>>();
            await using (var command = dataSource.CreateCommand(
                $"SELECT country, {column}::text, measure, sum(value) FROM {splitSource} WHERE {predicate} AND measure = ANY(${splitParameters.Count}) GROUP BY 1, 2, 3"))
            {
                splitParameters.ForEach(p => command.Parameters.Add(new NpgsqlParameter { Value = p }));
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var key = (reader.GetString(0), reader.GetString(2));
                    var group = groups.TryGetValue(key, out var g) ? g : groups[key] = [];
                    group[reader.GetString(1)] = reader.GetDecimal(3);
                }
            }

            splits.Add((own, groups));
        }

        decimal[] Sum(IEnumerable<string> countries, string measure) =>
            [.. Enumerable.Range(0, scopes.Count).Select(i => countries.Sum(c => values.GetValueOrDefault(c)?.GetValueOrDefault(measure)?[i] ?? 0))];

        var result = new Dictionary<string, IReadOnlyDictionary<string, Figure>>();
        foreach (var (country, byMeasure) in values)
        {
            var regionCountries = Regions.Of(country) is { } region ? Regions.CountriesIn(region.Code) : [];
            var figures = new Dictionary<string, Figure>();
            foreach (var measure in measures)
            {
                var own = byMeasure.GetValueOrDefault(measure) ?? new decimal[scopes.Count + 1];
                List<decimal> wider = [.. own[1..scopes.Count]];
                if (regionCountries.Count > 0)
                {
                    wider.AddRange(Sum(regionCountries, measure));
                }

                wider.AddRange(Sum(values.Keys, measure));
                List<Neighbours> neighbours =
                [
                    new(regionCountries.Count > 0
                        ? regionCountries.ToDictionary(c => c, c => values.GetValueOrDefault(c)?.GetValueOrDefault(measure)?[0] ?? 0)
                        : new Dictionary<string, decimal> { [country] = own[0] }, country),
                    .. splits.Select(split => new Neighbours(split.Groups.GetValueOrDefault((country, measure)) ?? Empty(split.Own), split.Own)),
                ];
                figures[measure] = new Figure(own[0], wider, neighbours, filter.AsOf is null ? null : own[scopes.Count]);
            }

            result[country] = figures;
        }

        return result;
    }

    /// <summary>The countries and years that have cases, to offer as filters.</summary>
    public async Task<(IReadOnlyList<string> Countries, IReadOnlyList<int> Years)> ChoicesAsync(CancellationToken ct)
    {
        var countries = new SortedSet<string>(StringComparer.Ordinal);
        var years = new SortedSet<int>();
        await using var command = dataSource.CreateCommand(
            $"SELECT DISTINCT country, year FROM {Schema}.{StatisticsProjection.NowTable} WHERE family = 'cases' AND measure = 'All' AND form = '*' AND value > 0");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            countries.Add(reader.GetString(0));
            years.Add(reader.GetInt32(1));
        }

        return ([.. countries], [.. years]);
    }

    /// <summary>A sum per scope, then today's sum under the first (the filter itself), as columns of one scan.</summary>
    private static void AppendSums(StringBuilder sql, IReadOnlyList<Scope> scopes, List<object> parameters)
    {
        foreach (var scope in scopes)
        {
            sql.Append(CultureInfo.InvariantCulture, $", coalesce(sum(value) FILTER (WHERE {scope.Predicate(parameters)}), 0)");
        }

        sql.Append(CultureInfo.InvariantCulture, $", coalesce(sum(value) FILTER (WHERE today AND {scopes[0].Predicate(parameters)}), 0)");
    }

    private static Dictionary<string, decimal> Empty(string own) => new() { [own] = 0 };

    /// <summary>
    /// The rows a report sums: today's figures, or today's minus every change recorded after the
    /// "as of" day. The column <c>today</c> tells the two apart, so one scan gives both.
    /// </summary>
    private static string Source(DateOnly? asOf, List<object> parameters, IReadOnlyList<string>? measures = null, ExploitationForm? form = null)
    {
        const string Columns = "form, country, year, age, sex, measure";

        // Only the "any form" cells and the chosen form's: the other forms' rows are never summed.
        parameters.Add(form is null ? [Cell.AllForms] : new[] { Cell.AllForms, form.Value.ToString() });
        var only = $" AND form = ANY(${parameters.Count})";
        if (measures is not null)
        {
            parameters.Add(measures.ToArray());
            only += $" AND measure = ANY(${parameters.Count})";
        }

        var now = $"SELECT {Columns}, value, true AS today FROM {Schema}.{StatisticsProjection.NowTable} WHERE family = $1{only}";
        if (asOf is not { } day)
        {
            return $"({now}) figures";
        }

        parameters.Add(day);
        return $"({now} UNION ALL SELECT {Columns}, -value, false FROM {Schema}.{StatisticsProjection.DeltaTable} WHERE family = $1{only} AND day > ${parameters.Count}) figures";
    }

    /// <summary>
    /// For each condition that splits the cases into disjoint groups (place, year, age band, sex),
    /// the same figures for each of its values, the other conditions kept: the neighbours a
    /// suppressed figure could be worked out from.
    /// </summary>
    private async Task<List<(string Own, Dictionary<string, Dictionary<string, decimal>> Groups)>> NeighboursAsync(
        string family, ReportFilter filter, IReadOnlyList<string>? measures, CancellationToken ct)
    {
        var result = new List<(string, Dictionary<string, Dictionary<string, decimal>>)>();
        foreach (var (column, own, without) in Splits(filter))
        {
            var parameters = new List<object> { family };
            var source = Source(filter.AsOf, parameters, measures, filter.Form);
            var predicate = Scope.Exact(without).Predicate(parameters);
            var sql = $"SELECT {column}::text, measure, sum(value) FROM {source} WHERE {predicate} GROUP BY 1, 2";
            var byValue = new Dictionary<string, Dictionary<string, decimal>>();
            await using (var command = dataSource.CreateCommand(sql))
            {
                parameters.ForEach(p => command.Parameters.Add(new NpgsqlParameter { Value = p }));
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var measure = reader.GetString(1);
                    var group = byValue.TryGetValue(measure, out var g) ? g : byValue[measure] = [];
                    var key = reader.GetString(0);
                    group[key] = group.GetValueOrDefault(key) + reader.GetDecimal(2);
                }
            }

            if (column == "country")
            {
                // Countries next to each other in the world, and, for a country, in its region; or
                // regions next to each other, for a region.
                if (filter.PlaceIsRegion)
                {
                    result.Add((own, byValue.ToDictionary(m => m.Key, m => ByRegion(m.Value))));
                    continue;
                }

                var region = Regions.Of(own)?.Code;
                result.Add((own, byValue.ToDictionary(m => m.Key, m => m.Value.Where(c => Regions.Of(c.Key)?.Code == region).ToDictionary())));
            }

            result.Add((own, byValue));
        }

        return result;
    }

    private static Dictionary<string, decimal> ByRegion(Dictionary<string, decimal> countries) =>
        countries.GroupBy(c => Regions.Of(c.Key)?.Code ?? "").ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

    private static IEnumerable<(string Column, string Own, ReportFilter Without)> Splits(ReportFilter filter)
    {
        if (filter.Place is { } place)
        {
            yield return ("country", place.ToUpperInvariant(), filter with { Place = null });
        }

        if (filter.Year is { } year)
        {
            yield return ("year", year.ToString(CultureInfo.InvariantCulture), filter with { Year = null });
        }

        if (filter.AgeBand is { } age)
        {
            yield return ("age", age.ToString(), filter with { AgeBand = null });
        }

        if (filter.Sex is { } sex)
        {
            yield return ("sex", sex.ToString(), filter with { Sex = null });
        }
    }

    /// <summary>One set of conditions, as SQL over the statistics rows.</summary>
    private sealed record Scope(IReadOnlyList<string>? Countries, int? Year, AgeBand? AgeBand, Sex? Sex, string Form)
    {
        public static Scope Exact(ReportFilter filter) =>
            new(PlaceCountries(filter), filter.Year, filter.AgeBand, filter.Sex, filter.Form?.ToString() ?? Cell.AllForms);

        /// <summary>The filter itself first, then every filter made wider by dropping or widening conditions.</summary>
        public static IEnumerable<Scope> WiderOrEqual(ReportFilter filter)
        {
            IReadOnlyList<string>?[] places = filter.Place is null ? [null]
                : filter.PlaceIsRegion ? [PlaceCountries(filter), null]
                : [PlaceCountries(filter), Regions.Of(filter.Place) is { } region ? Regions.CountriesIn(region.Code) : null, null];
            int?[] years = filter.Year is null ? [null] : [filter.Year, null];
            AgeBand?[] ages = filter.AgeBand is null ? [null] : [filter.AgeBand, null];
            Sex?[] sexes = filter.Sex is null ? [null] : [filter.Sex, null];
            string[] forms = filter.Form is null ? [Cell.AllForms] : [filter.Form.ToString()!, Cell.AllForms];
            return (from place in places.Distinct()
                    from year in years
                    from age in ages
                    from sex in sexes
                    from form in forms
                    select new Scope(place, year, age, sex, form)).Distinct();
        }

        private static IReadOnlyList<string>? PlaceCountries(ReportFilter filter) =>
            filter.Place is not { } place ? null
            : filter.PlaceIsRegion ? Regions.CountriesIn(place)
            : [place.ToUpperInvariant()];

        public string Predicate(List<object> parameters)
        {
            string Parameter(object value)
            {
                parameters.Add(value);
                return $"${parameters.Count}";
            }

            var conditions = new List<string> { $"form = {Parameter(Form)}" };
            if (Countries is not null)
            {
                conditions.Add($"country = ANY({Parameter(Countries.ToArray())})");
            }

            if (Year is { } year)
            {
                conditions.Add($"year = {Parameter(year)}");
            }

            if (AgeBand is { } age)
            {
                conditions.Add($"age = {Parameter(age.ToString())}");
            }

            if (Sex is { } sex)
            {
                conditions.Add($"sex = {Parameter(sex.ToString())}");
            }

            return string.Join(" AND ", conditions);
        }

        public bool Equals(Scope? other) => other is not null && Year == other.Year && AgeBand == other.AgeBand && Sex == other.Sex && Form == other.Form
            && (Countries ?? []).SequenceEqual(other.Countries ?? []) && (Countries is null) == (other.Countries is null);

        public override int GetHashCode() => HashCode.Combine(Year, AgeBand, Sex, Form, Countries?.Count);
    }
}
