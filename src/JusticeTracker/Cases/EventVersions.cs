using System.Data.Common;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Marten.Services.Json.Transformations;

namespace JusticeTracker.Cases;

/// <summary>
/// Versions of the stored events' shapes (ADR 27). Stored events are never rewritten: an event
/// whose shape changed is written under a new type name (<c>verdict_delivered_v2</c>), and the
/// events stored under the old name are upcast when read, by Marten for every reader and by
/// <see cref="Upcast"/> for the statistics' own reader.
/// </summary>
public static class EventVersions
{
    /// <summary>The shape version of the entries about an offender: 2 since cases have offenders.</summary>
    public const uint OffenderVersion = 2;

    /// <summary>
    /// The entries that became an offender's (issue 19). Recorded before, each was about the one
    /// suspect a case then had: offender 1.
    /// </summary>
    public static readonly IReadOnlyList<Type> WithOffender =
    [
        typeof(SuspectIdentified), typeof(SuspectArrested), typeof(ChargesFiled), typeof(ProsecutionDeclined),
        typeof(VerdictDelivered), typeof(SentenceImposed), typeof(AppealFiled), typeof(AppealDecided),
    ];

    /// <summary>The name each event type is stored under now.</summary>
    public static string NameOf(Type type) =>
        WithOffender.Contains(type) ? $"{type.GetEventTypeName()}_v{OffenderVersion}" : type.GetEventTypeName();

    /// <summary>Every older name still found in the store, with the type its events are read as.</summary>
    public static IEnumerable<(string Name, Type Type)> Older => WithOffender.Select(t => (t.GetEventTypeName(), t));

    /// <summary>Maps the entry types to their current names and upcasts the events stored under older ones.</summary>
    public static void Configure(StoreOptions options)
    {
        foreach (var type in EntryKinds.Types)
        {
            options.Events.MapEventType(type, NameOf(type));
        }

        options.Events.Upcast([.. Older.Select(o => (IEventUpcaster)new OffenderUpcaster(o.Name, o.Type))]);
    }

    /// <summary>
    /// An event's JSON as its current shape reads it: an entry stored before offenders existed
    /// gains <c>"offender": 1</c>. Anything already carrying an offender is left as it is.
    /// </summary>
    public static string Upcast(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject body || body.ContainsKey("offender"))
        {
            return json;
        }

        body["offender"] = 1;
        return body.ToJsonString();
    }

    /// <summary>An event stored under an older name, read as its current type: upcast, then deserialised.</summary>
    public static object Read(ISerializer serializer, Type type, string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Upcast(json)));
        return serializer.FromJson(type, stream);
    }

    private sealed class OffenderUpcaster(string eventTypeName, Type eventType) : IEventUpcaster
    {
        public string EventTypeName => eventTypeName;

        public Type EventType => eventType;

        public object FromDbDataReader(ISerializer serializer, DbDataReader dbDataReader, int index) =>
            Read(serializer, eventType, dbDataReader.GetFieldValue<string>(index));

        public async ValueTask<object> FromDbDataReaderAsync(ISerializer serializer, DbDataReader dbDataReader, int index, CancellationToken ct) =>
            Read(serializer, eventType, await dbDataReader.GetFieldValueAsync<string>(index, ct));
    }
}
