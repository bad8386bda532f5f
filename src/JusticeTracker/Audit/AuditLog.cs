using JusticeTracker.Access;
using Npgsql;
using NpgsqlTypes;

namespace JusticeTracker.Audit;

/// <summary>
/// One line of the audit log: who did what, on which case, when, from where, and how it ended.
/// It never holds case content: no notes, no profile, no entry details.
/// </summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string? UserId,
    string? Roles,
    string? OrganisationId,
    string Action,
    string? Method,
    string? Route,
    int Status,
    string? CaseReference,
    string? ClientAddress,
    string? CorrelationId,
    string? Detail,
    string? StatisticsFilter = null);

/// <summary>What administrators search the log by; <see cref="StatisticsFilter"/> matches any statistics filter that contains it.</summary>
public sealed record AuditFilter(string? User = null, string? CaseReference = null, string? Action = null, DateOnly? From = null, DateOnly? To = null, string? StatisticsFilter = null);

/// <summary>
/// The append-only audit log: a table of its own, which a trigger keeps from being updated,
/// deleted or truncated, so a mistake or an intruder with the app's credentials cannot rewrite it.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public const string Table = "jt.audit_log";

    /// <summary>Idempotent DDL, applied with the other tables (see <see cref="JusticeTracker.Hosting.Schema"/>).</summary>
    public const string Schema = """
        CREATE SCHEMA IF NOT EXISTS jt;
        CREATE TABLE IF NOT EXISTS jt.audit_log (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL,
            user_id text,
            roles text,
            organisation_id text,
            action text NOT NULL,
            method text,
            route text,
            status integer NOT NULL,
            case_reference text,
            client_address text,
            correlation_id text,
            detail text
        );
        -- Added after the first release: logs written before it keep their lines, without a filter.
        ALTER TABLE jt.audit_log ADD COLUMN IF NOT EXISTS statistics_filter text;
        CREATE INDEX IF NOT EXISTS audit_log_at ON jt.audit_log (at DESC);
        CREATE INDEX IF NOT EXISTS audit_log_user ON jt.audit_log (user_id, at DESC);
        CREATE INDEX IF NOT EXISTS audit_log_case ON jt.audit_log (case_reference, at DESC);
        CREATE OR REPLACE FUNCTION jt.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The audit log is append-only: % is not allowed', TG_OP;
        END $$;
        DROP TRIGGER IF EXISTS audit_log_is_append_only ON jt.audit_log;
        CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON jt.audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION jt.audit_log_is_append_only();
        """;

    public async Task AppendAsync(AuditEntry entry, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO {Table} (at, user_id, roles, organisation_id, action, method, route, status, case_reference, client_address, correlation_id, detail, statistics_filter)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.At });
        command.Parameters.Add(Text(entry.UserId));
        command.Parameters.Add(Text(entry.Roles));
        command.Parameters.Add(Text(entry.OrganisationId));
        command.Parameters.Add(Text(entry.Action));
        command.Parameters.Add(Text(entry.Method));
        command.Parameters.Add(Text(entry.Route));
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Status });
        command.Parameters.Add(Text(entry.CaseReference));
        command.Parameters.Add(Text(entry.ClientAddress));
        command.Parameters.Add(Text(entry.CorrelationId));
        command.Parameters.Add(Text(entry.Detail));
        command.Parameters.Add(Text(entry.StatisticsFilter));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Newest first, filtered; returns one page and the total.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, long Total)> QueryAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct)
    {
        const string where = """
            WHERE ($1::text IS NULL OR user_id = $1)
              AND ($2::text IS NULL OR case_reference = $2)
              AND ($3::text IS NULL OR action = $3)
              AND ($4::timestamptz IS NULL OR at >= $4)
              AND ($5::timestamptz IS NULL OR at < $5)
              AND ($6::text IS NULL OR strpos(statistics_filter, $6) > 0)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {Table} {where}", connection);
        AddFilter(count, filter);
        var total = (long)(await count.ExecuteScalarAsync(ct))!;

        await using var select = new NpgsqlCommand($"""
            SELECT id, at, user_id, roles, organisation_id, action, method, route, status, case_reference, client_address, correlation_id, detail, statistics_filter
            FROM {Table} {where} ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8
            """, connection);
        AddFilter(select, filter);
        select.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        select.Parameters.Add(new NpgsqlParameter { Value = (long)(page - 1) * pageSize });
        var entries = new List<AuditEntry>();
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                Nullable(reader, 2),
                Nullable(reader, 3),
                Nullable(reader, 4),
                reader.GetString(5),
                Nullable(reader, 6),
                Nullable(reader, 7),
                reader.GetInt32(8),
                Nullable(reader, 9),
                Nullable(reader, 10),
                Nullable(reader, 11),
                Nullable(reader, 12),
                Nullable(reader, 13)));
        }

        return (entries, total);
    }

    private static void AddFilter(NpgsqlCommand command, AuditFilter filter)
    {
        command.Parameters.Add(Text(Blank(filter.User)));
        command.Parameters.Add(Text(Blank(filter.CaseReference)?.ToUpperInvariant()));
        command.Parameters.Add(Text(Blank(filter.Action)));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)filter.From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)filter.To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? DBNull.Value });
        command.Parameters.Add(Text(Blank(filter.StatisticsFilter)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static string? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>What a handler tells the audit middleware about the request it served.</summary>
public static class AuditContext
{
    private const string ActionKey = "jt.audit.action";
    private const string CaseKey = "jt.audit.case";
    private const string UserKey = "jt.audit.user";
    private const string DetailKey = "jt.audit.detail";
    private const string StatisticsFilterKey = "jt.audit.statistics-filter";

    public static void Action(this HttpContext context, string action) => context.Items[ActionKey] = action;

    public static void CaseReference(this HttpContext context, string reference) => context.Items[CaseKey] = reference;

    /// <summary>For sign-in, whose user is not on the request yet.</summary>
    public static void Actor(this HttpContext context, string userId) => context.Items[UserKey] = userId;

    /// <summary>A code, never free text.</summary>
    public static void Detail(this HttpContext context, string code) => context.Items[DetailKey] = code;

    /// <summary>
    /// The statistics filter a read used, normalised: its parsed fields in a fixed order, never
    /// anything else from the query. A filter holds no case content.
    /// </summary>
    public static void StatisticsFilter(this HttpContext context, string filter) => context.Items[StatisticsFilterKey] = filter;

    internal static string? Get(HttpContext context, string key) => context.Items.TryGetValue(key, out var v) ? v as string : null;

    /// <summary>Builds the entry for a finished request.</summary>
    internal static AuditEntry Describe(HttpContext context, DateTimeOffset at)
    {
        var user = CurrentUser.From(context.User);
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        var status = context.Response.StatusCode;
        var denied = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
            || (status == StatusCodes.Status302Found && context.Response.Headers.Location.ToString().Contains("/access-denied", StringComparison.Ordinal));
        var action = denied ? "denied" : Get(context, ActionKey) ?? "request";
        return new AuditEntry(
            0,
            at,
            Get(context, UserKey) ?? (user.UserId.Length > 0 ? user.UserId : null),
            user.Roles.Count > 0 ? string.Join(',', user.Roles.Order()) : null,
            user.OrganisationId,
            action,
            context.Request.Method,
            "/" + (endpoint?.RoutePattern.RawText ?? context.Request.Path.Value ?? "").TrimStart('/'),
            status,
            Get(context, CaseKey),
            context.Connection.RemoteIpAddress?.ToString(),
            context.Response.Headers[Hosting.Logging.CorrelationHeader].ToString(),
            Get(context, DetailKey),
            Get(context, StatisticsFilterKey));
    }
}
