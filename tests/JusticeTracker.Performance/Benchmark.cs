using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Demo;
using JusticeTracker.Hosting;
using JusticeTracker.Statistics;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace JusticeTracker.Performance;

/// <summary>
/// One run, in order: the limits of the parts (raw COPY, a bare Marten append loop), the bulk
/// import, the projections catching up, the analyst report against a raw-event scan at two
/// sizes, a full rebuild, recording entries over HTTP, the case page and list, and the app's peak
/// memory. A phase that fails is written down as failed and the run goes on, so one run always
/// gives the whole table.
/// </summary>
public static class Benchmark
{
    /// <summary>
    /// The run's own database is named after the one it is given, so that runs from different
    /// checkouts on one server (each with its own database) never drop each other's.
    /// </summary>
    private static string DatabaseFor(Options options) =>
        (new NpgsqlConnectionStringBuilder(options.ConnectionString).Database ?? "justicetracker") + "_bench" + (options.Smoke ? "_smoke" : "");
    private static readonly int[] Concurrencies = [1, 8, 32];
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static async Task<int> RunAsync(Options options)
    {
        var table = new Results();
        await table.PhaseAsync("Personal-data check", options.Runs("checks"), () => Task.Run(() => PersonalDataBenchmark.Measure(table, options.Smoke)));
        if (options.Only.Count > 0 && options.Only.All(p => p == "checks"))
        {
            // Nothing of this run needs the database: leave it alone (another run may be using it).
            return await WriteAsync(table, options, options.ConnectionString, 0);
        }

        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Database = DatabaseFor(options) }.ConnectionString;
        await RecreateAsync(options.ConnectionString, new NpgsqlConnectionStringBuilder(connection).Database!);
        Log($"database {new NpgsqlConnectionStringBuilder(connection).Database}; migrating");
        await AppProcess.RunCommandAsync(connection, "migrate");

        using var store = DocumentStore.For(o =>
        {
            o.Connection(connection);
            CaseStore.Configure(o, createSchema: false);
        });

        double copyRate = double.NaN, bare1 = double.NaN, bare32 = double.NaN;
        await table.PhaseAsync("Limits", options.Runs("limits"), async () =>
        {
            copyRate = await RawCopyAsync(connection, store, options.CopyRows);
            table.Add("Raw PostgreSQL COPY of event-sized rows", $"{copyRate:N0} rows/s", "(limit)");
            bare1 = await BareAppendAsync(store, 1, options.Window);
            bare32 = await BareAppendAsync(store, 32, options.Window);
            table.Add("Bare Marten append loop, one transaction per case, 1 at a time", $"{bare1:N0} tx/s", "(limit)");
            table.Add("Bare Marten append loop, one transaction per case, 32 at a time", $"{bare32:N0} tx/s", "(limit)");
            await store.Advanced.Clean.DeleteAllEventDataAsync();
        });

        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(DirectoryState.StreamId, [.. DemoDirectory.DirectoryEvents(new AdminAct("benchmark", Now))]);
            await session.SaveChangesAsync();
        }

        var generator = new DemoCaseGenerator(20261128, new PersonalDataCheck(new PersonalDataOptions()), Now);
        long events = 0;
        double importSeconds = 0;
        async Task ImportAsync(int cases)
        {
            // Generated first, so only the import is timed: it prepares the next batch while it
            // writes one, and would otherwise be timed generating it too.
            var generated = generator.Generate(cases).ToList();
            events += generated.Sum(c => c.Events.Length);
            importSeconds += await Measure.SecondsAsync(() => BulkLoad.CasesAsync(store, generated, CancellationToken.None));
        }

        long peak = 0;
        var reports = new Dictionary<int, (Latency Report, double First, double Scan)>();
        async Task SizeAsync(int cases, int toAdd)
        {
            await table.PhaseAsync($"{cases:N0} cases", options.Runs("sizes"), async () =>
            {
                var before = events;
                var seconds = importSeconds;
                await ImportAsync(toAdd);
                var rate = (events - before) / (importSeconds - seconds);
                table.Add($"Bulk import to {cases:N0} cases ({events:N0} events)", $"{rate:N0} events/s ({rate / copyRate:P0} of raw COPY)", "≥ 50,000 events/s", rate >= 50_000);

                await using var app = await AppProcess.StartAsync(connection);
                var deadline = DateTime.UtcNow + (options.Smoke ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(60));
                var catchUp = await Measure.SecondsAsync(async () =>
                {
                    while (await app.LagAsync() > 0)
                    {
                        if (DateTime.UtcNow > deadline)
                        {
                            throw new TimeoutException($"The projections were still {await app.LagAsync():N0} events behind.");
                        }

                        await Task.Delay(250);
                    }
                });
                table.Add($"Async projections catch up after the import, at {events:N0} events", $"{catchUp:N1} s ({(events - before) / catchUp:N0} events/s)", "—");

                using var analyst = await app.SignInAsync("demo-analyst");
                var first = await Measure.SecondsAsync(() => GetAsync(analyst, "/api/statistics")) * 1000;
                var samples = new List<double>();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < (options.Smoke ? 5 : 200); i++)
                {
                    samples.Add(await Measure.SecondsAsync(() => GetAsync(analyst, "/api/statistics")) * 1000);
                }

                var report = Measure.Summarise(samples, clock.Elapsed.TotalSeconds);
                var scan = (await RawScanAsync(store)) * 1000;
                reports[cases] = (report, first, scan);
                table.Add($"Analyst report at {cases:N0} cases", $"p50 {report.P50:F1} ms, p95 {report.P95:F1} ms (first after a change: {first:F0} ms)", "p95 ≤ 30 ms at 100,000", cases < options.LargeCases ? null : report.P95 <= 30);
                table.Add($"Raw-event scan report at {cases:N0} cases", $"{scan:N0} ms ({scan / report.P95:N0}× the report's p95)", "report ≥ 100× faster at 100,000", cases < options.LargeCases ? null : scan / report.P95 >= 100);
                peak = Math.Max(peak, app.PeakMemory());
            });
        }

        await SizeAsync(options.SmallCases, options.SmallCases);
        await SizeAsync(options.LargeCases, options.LargeCases - options.SmallCases);
        if (reports.TryGetValue(options.SmallCases, out var small) && reports.TryGetValue(options.LargeCases, out var large))
        {
            var ratio = large.Report.P95 / small.Report.P95;
            table.Add($"Report p95 at {options.LargeCases:N0} ÷ at {options.SmallCases:N0} cases", $"{ratio:F2}×", "≤ 1.5×", ratio <= 1.5);
        }

        await table.PhaseAsync("Rebuild", options.Runs("rebuild"), async () =>
        {
            // The statistics rebuilt in memory (ADR 17), as an operator runs it with the app
            // stopped; the import above left the database without a running node.
            var total = await CountAsync(connection, "SELECT count(*) FROM jt.mt_events");
            var seconds = await Measure.SecondsAsync(() => AppProcess.RunCommandAsync(connection, "statistics", "rebuild", "--force"));
            table.Add($"Full rebuild of the statistics in memory (statistics rebuild), {total:N0} events (process start included)", $"{total / seconds:N0} events/s ({seconds:N1} s)", "≥ 20,000 events/s", total / seconds >= 20_000);

            // The rebuild it replaces, through the projection's batches, for comparison: at about
            // 3,500 events/s it takes five minutes at a million events, so only on smaller runs.
            if (total <= 250_000)
            {
                var daemon = await Measure.SecondsAsync(() => AppProcess.RunCommandAsync(connection, "projections", "rebuild", "-p", StatisticsProjection.Name, "--shard-timeout", "02:00:00"));
                table.Add($"Full rebuild through the projection (projections rebuild), {total:N0} events (process start included)", $"{total / daemon:N0} events/s ({daemon:N1} s)", "—");
            }
        });

        await using (var app = await AppProcess.StartAsync(connection))
        {
            using var expert = await app.SignInAsync("demo-legal-expert");
            await table.PhaseAsync("Recording", options.Runs("recording"), async () =>
            {
                foreach (var concurrency in Concurrencies)
                {
                    var load = await Measure.LoadAsync(concurrency, options.Window, () => Recorder(expert));
                    var target = concurrency == 32 ? "≥ 800/s, p95 ≤ 25 ms" : "—";
                    bool? met = concurrency == 32 ? load.Rate >= 800 && load.P95 <= 25 : null;
                    table.Add($"Record an entry over HTTP, {concurrency} at a time", load.ToString(), target, met);
                    if (concurrency == 32 && !double.IsNaN(bare32))
                    {
                        var ratio = load.Rate / bare32;
                        table.Add("Recording at 32 ÷ bare Marten loop at 32", $"{ratio:F2}", "≥ 0.6", ratio >= 0.6);
                    }
                }
            });

            await table.PhaseAsync("Pages", options.Runs("pages"), async () =>
            {
                // The baseline: a real signed-in page with nothing of its own to load. An analyst's
                // home page is the layout and a line of text, but still passes the cookie, the
                // membership lookup, the rate limiter and the page pipeline that every page passes.
                using var analyst = await app.SignInAsync("demo-analyst");
                var trivial = await Measure.LoadAsync(32, options.Window, () => Task.FromResult<Func<Task<bool>>>(() => OkAsync(analyst, "/")));
                table.Add("Trivial signed-in page (an analyst's home page), 32 users", trivial.ToString(), "—");

                var entries = options.Smoke ? 20 : 200;
                var caseId = await CaseWithEntriesAsync(expert, entries);
                var page = await Measure.LoadAsync(32, options.Window, () => Task.FromResult<Func<Task<bool>>>(() => OkAsync(expert, $"/cases/{caseId}")));
                table.Add($"Case page with {entries} entries, 32 users", page.ToString(), "p95 ≤ 30 ms", page.P95 <= 30);
                var ratio = page.Rate / trivial.Rate;
                table.Add($"Case page with {entries} entries at 32 ÷ trivial signed-in page at 32", $"{ratio:F2}", "≥ 0.5", ratio >= 0.5);
                var list = await Measure.LoadAsync(32, options.Window, () => Task.FromResult<Func<Task<bool>>>(() => OkAsync(expert, "/cases")));
                table.Add("Case list (first page), 32 users", list.ToString(), "—");

                // The data-quality page reads every case of the organisation and the entries that
                // stand on them: timed one request after another, as a lawyer opens it.
                var organisation = await CountAsync(connection, "SELECT count(*) FROM jt.mt_doc_case WHERE organisation_id = 'org-ke-1'");
                var quality = new List<double>();
                for (var i = 0; i < (options.Smoke ? 2 : 5); i++)
                {
                    quality.Add(await Measure.SecondsAsync(() => GetAsync(expert, "/quality?organisation=org-ke-1")) * 1000);
                }

                table.Add($"Data-quality page of an organisation with {organisation:N0} cases, one at a time", $"median {quality.Order().ElementAt(quality.Count / 2):N0} ms ({quality.Count} requests)", "—");
            });

            await table.PhaseAsync("Spreadsheet import", options.Runs("import"), () => SpreadsheetImportAsync(table, app, connection, options.Smoke ? 200 : 10_000, copyRate));

            peak = Math.Max(peak, app.PeakMemory());
        }

        var megabytes = peak / 1024.0 / 1024.0;
        table.Add("Peak memory of the app process (largest of its runs)", $"{megabytes:N0} MB", "≤ 400 MB", megabytes <= 400);

        return await WriteAsync(table, options, connection, events);
    }

    /// <summary>
    /// A member lawyer moves a sheet in through the pages: upload (two passes over the file), the
    /// dry run of every row, then the import job from the confirmation until the batch is done.
    /// The sheet has a case per row with three milestones, so each row is four events.
    /// </summary>
    private static async Task SpreadsheetImportAsync(Results table, AppProcess app, string connection, int rows, double copyRate)
    {
        using var lawyer = await app.SignInAsync("demo-lawyer-ke-1");
        var header = new[] { "Country", "Exploitation began", "Age band", "Sex", "Forms of exploitation", "Reported to authorities", "Reported to authorities: detail", "Investigation opened", "Charges filed" };
        var sheet = Enumerable.Range(0, rows).Select(i =>
        {
            var year = 2018 + (i % 6);
            return header.Zip(new object[] { "KE", $"{year}-{1 + (i % 12):00}", (i % 4) switch { 0 => "6-11", 1 => "12-14", _ => "15-17" }, i % 3 == 0 ? "Male" : "Female", i % 5 == 0 ? "Trafficking; Prostitution" : "Online sexual exploitation", $"{year + 1}-02-{1 + (i % 27):00}", "Police", $"{year + 1}-05", $"{year + 2}" })
                .ToDictionary(p => p.First, p => p.Second);
        }).ToList();
        using var buffer = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(buffer, sheet, excelType: MiniExcelLibs.ExcelType.XLSX);
        var bytes = buffer.ToArray();

        async Task<string> TokenAsync(string path) => AppProcess.TokenOf(await lawyer.GetStringAsync(new Uri(path, UriKind.Relative)));
        async Task<HttpResponseMessage> PostAsync(string path, HttpContent content)
        {
            var answer = await lawyer.PostAsync(new Uri(path, UriKind.Relative), content);
            return answer.StatusCode == System.Net.HttpStatusCode.Redirect ? answer : throw new InvalidOperationException($"POST {path} answered {(int)answer.StatusCode}.");
        }

        Guid batch = default;
        var upload = await Measure.SecondsAsync(async () =>
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(await TokenAsync("/imports")), "__RequestVerificationToken" },
                { new StringContent("CasePerRow"), "Layout" },
                { new ByteArrayContent(bytes), "file", "bench.xlsx" },
            };
            var answer = await PostAsync("/imports", form);
            batch = Guid.Parse(answer.Headers.Location!.OriginalString["/imports/".Length..]);
        });

        var check = await Measure.SecondsAsync(async () =>
        {
            var mapping = JsonSerializer.Deserialize<string?[]>(await ScalarAsync<string>(connection, "SELECT data->>'mapping' FROM jt.mt_doc_importbatch WHERE id = $1", batch))!;
            var fields = mapping.Select((m, i) => new KeyValuePair<string, string>($"Mapping[{i}]", m ?? ""))
                .Append(new("__RequestVerificationToken", await TokenAsync($"/imports/{batch}")))
                .Append(new("SaveMapping", "false"));
            using var form = new FormUrlEncodedContent(fields);
            await PostAsync($"/imports/{batch}?handler=Map", form);
        });

        var cases = int.Parse(await ScalarAsync<string>(connection, "SELECT data->>'cases' FROM jt.mt_doc_importbatch WHERE id = $1", batch), CultureInfo.InvariantCulture);
        var run = await Measure.SecondsAsync(async () =>
        {
            using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", await TokenAsync($"/imports/{batch}"))]);
            await PostAsync($"/imports/{batch}?handler=Confirm", form);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
            while (await ScalarAsync<string>(connection, "SELECT data->>'status' FROM jt.mt_doc_importbatch WHERE id = $1", batch) != "Done")
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The import did not finish within ten minutes.");
                }

                await Task.Delay(100);
            }
        });

        if (cases != rows)
        {
            throw new InvalidOperationException($"The dry run accepted {cases:N0} of {rows:N0} rows.");
        }

        var events = rows * 4.0;
        table.Add($"Spreadsheet import, {rows:N0} rows (.xlsx, {bytes.Length / 1024:N0} KB): upload, both passes over the file", $"{upload:N1} s", "—");
        table.Add($"Spreadsheet import, {rows:N0} rows: dry run of every row", $"{check:N1} s", "—");
        table.Add(
            $"Spreadsheet import, {rows:N0} rows: the import job, confirmation to done",
            $"{run:N1} s ({rows / run:N0} rows/s; {events / run:N0} events/s, {events / run / copyRate:P0} of raw COPY)",
            "10,000 rows < 60 s",
            rows >= 10_000 ? upload + check + run < 60 : null);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(id);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> WriteAsync(Results table, Options options, string connection, long events)
    {
        var markdown = await Results.MarkdownAsync(table, options, connection, events);
        if (options.Output.Length > 0)
        {
            Results.WriteInto(options.Output, markdown);
            Log($"wrote {options.Output}");
        }

        Console.WriteLine(markdown);
        return table.Failed ? 1 : 0;
    }

    /// <summary>COPY of rows shaped like mt_events, with a real event's JSON: what PostgreSQL can take at most.</summary>
    private static async Task<double> RawCopyAsync(string connectionString, DocumentStore store, int rows)
    {
        var sample = new DemoCaseGenerator(1, new PersonalDataCheck(new PersonalDataOptions()), Now).Generate(1).First().Events[^1];
        var json = store.Options.Serializer().ToJson(sample);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            "DROP TABLE IF EXISTS public.bench_copy; CREATE TABLE public.bench_copy (seq_id bigint, id uuid, stream_id uuid, version bigint, data jsonb, type varchar, timestamp timestamptz, tenant_id varchar, mt_dotnet_type varchar)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var seconds = await Measure.SecondsAsync(async () =>
        {
            await using var import = await connection.BeginBinaryImportAsync("COPY public.bench_copy FROM STDIN (FORMAT BINARY)");
            var stream = Guid.NewGuid();
            for (var i = 0; i < rows; i++)
            {
                if (i % 11 == 0)
                {
                    stream = Guid.NewGuid();
                }

                await import.StartRowAsync();
                await import.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
                await import.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await import.WriteAsync(stream, NpgsqlDbType.Uuid);
                await import.WriteAsync((long)(i % 11) + 1, NpgsqlDbType.Bigint);
                await import.WriteAsync(json, NpgsqlDbType.Jsonb);
                await import.WriteAsync("entry_recorded", NpgsqlDbType.Varchar);
                await import.WriteAsync(Now, NpgsqlDbType.TimestampTz);
                await import.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar);
                await import.WriteAsync(sample.GetType().FullName!, NpgsqlDbType.Varchar);
            }

            await import.CompleteAsync();
        });
        await using (var drop = new NpgsqlCommand("DROP TABLE public.bench_copy", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        return rows / seconds;
    }

    /// <summary>One small transaction per case: a session, one event, a commit. No HTTP, no decision, no projection.</summary>
    private static async Task<double> BareAppendAsync(DocumentStore store, int concurrency, TimeSpan window)
    {
        var load = await Measure.LoadAsync(concurrency, window, () => Task.FromResult<Func<Task<bool>>>(async () =>
        {
            await using var session = store.LightweightSession();
            session.Events.StartStream(Guid.NewGuid(), new CaseErased(Guid.NewGuid(), Now));
            await session.SaveChangesAsync();
            return true;
        }));
        return load.Rate;
    }

    /// <summary>A lawyer at work: a case of their own, entries one after another, a new case after twenty.</summary>
    private static async Task<Func<Task<bool>>> Recorder(HttpClient client)
    {
        var (caseId, version) = await OpenAsync(client);
        var onCase = 0;
        return async () =>
        {
            if (++onCase > 20)
            {
                (caseId, version, onCase) = (await OpenAsync(client)).Let(o => (o.CaseId, o.Version, 1));
            }

            var response = await client.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/entries", UriKind.Relative), Entry(version));
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            version = answer.RootElement.GetProperty("version").GetInt64();
            return true;
        };
    }

    private static async Task<Guid> CaseWithEntriesAsync(HttpClient client, int entries)
    {
        var (caseId, version) = await OpenAsync(client);
        for (var i = 0; i < entries; i++)
        {
            var response = await client.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/entries", UriKind.Relative), Entry(version));
            response.EnsureSuccessStatusCode();
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            version = answer.RootElement.GetProperty("version").GetInt64();
        }

        return caseId;
    }

    private static object Entry(long version) => new
    {
        commandId = Guid.NewGuid(),
        version,
        occurred = new { date = "2026-11-01", precision = "Day" },
        details = new { kind = "RightAssessed", right = "BeingHeard", respect = "Respected" },
    };

    private static async Task<(Guid CaseId, long Version)> OpenAsync(HttpClient client)
    {
        var command = new
        {
            commandId = Guid.NewGuid(),
            country = "KE",
            organisationId = "org-ke-1",
            exploitationBegan = new { date = "2024-03-01", precision = "Month" },
            ageBand = "12-14",
            sex = "Female",
            forms = new[] { "OnlineSexualExploitation" },
            onlineFacilitated = "Yes",
            crossBorder = "No",
            foreignOffender = "Unknown",
            disability = "No",
        };
        var response = await client.PostAsJsonAsync(new Uri("/api/cases", UriKind.Relative), command);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Opening a case answered {(int)response.StatusCode}: {body}");
        }

        using var answer = JsonDocument.Parse(body);
        return (answer.RootElement.GetProperty("caseId").GetGuid(), answer.RootElement.GetProperty("version").GetInt64());
    }

    /// <summary>
    /// The straightforward report: every event read back, every case folded, every case's figures
    /// summed. What the analysts' report would cost if it replayed events on request.
    /// </summary>
    private static async Task<double> RawScanAsync(DocumentStore store) => await Measure.SecondsAsync(async () =>
    {
        var sums = new Dictionary<FactKey, decimal>();
        await using var session = store.QuerySession();
        Case? current = null;
        var streamId = Guid.Empty;
        void Close()
        {
            if (current is not null)
            {
                foreach (var (key, value) in Facts.Of(current))
                {
                    sums[key] = sums.GetValueOrDefault(key) + value;
                }
            }
        }

        await foreach (var e in session.Events.QueryAllRawEvents().OrderBy(e => e.StreamId).ThenBy(e => e.Version).ToAsyncEnumerable())
        {
            if (e.StreamId != streamId)
            {
                Close();
                (streamId, current) = (e.StreamId, null);
            }

            if (e.Data is CaseOpened opened)
            {
                current = Case.Open(opened);
            }
            else if (e.Data is CaseEntry entry && current is not null)
            {
                current = current.Record(entry);
            }
        }

        Close();
        current = null;
        if (sums.Count == 0)
        {
            throw new InvalidOperationException("The raw scan found no figures.");
        }
    });

    private static async Task GetAsync(HttpClient client, string url) => (await client.GetAsync(new Uri(url, UriKind.Relative))).EnsureSuccessStatusCode();

    private static async Task<bool> OkAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode;
    }

    private static async Task RecreateAsync(string connectionString, string database)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", $"CREATE DATABASE {database}" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    public static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    private static TResult Let<T, TResult>(this T value, Func<T, TResult> map) => map(value);
}
