using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace JusticeTracker.Hosting;

/// <summary>
/// Input is read strictly: a code is one of the names the vocabulary declares, or the request is
/// refused with a problem that names the field. System.Text.Json would otherwise take any number
/// for an enum (<c>"category": 42</c>), and an undefined value, once stored, is a value no report
/// counts and no page can label.
/// </summary>
public static partial class StrictInput
{
    /// <summary>The one text of every refused code, on the API (English) and beside a form's field (the reader's language).</summary>
    public const string NotAChoice = "Choose a value from the list.";

    public static WebApplicationBuilder AddStrictInput(this WebApplicationBuilder builder)
    {
        // Wolverine's endpoints read and write bodies with ASP.NET Core's JSON options. A converter
        // in the options is used before the [JsonConverter] attribute each enum carries for storage.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Insert(0, new StrictEnumConverterFactory()));
        builder.Services.AddSingleton<IConfigureOptions<MvcOptions>, LocalisedBindingMessages>();
        return builder;
    }

    /// <summary>
    /// Wolverine answers a body it cannot read with a problem whose detail is the serializer's
    /// message. It becomes a validation problem keyed by the field, like every other refusal, so a
    /// client sees which value to fix; the serializer's wording (with .NET type names) goes.
    /// </summary>
    public static void NameTheField(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status != StatusCodes.Status400BadRequest || problem.Title != "Invalid JSON format" || !problem.Extensions.ContainsKey("bytePositionInLine"))
        {
            return;
        }

        var path = problem.Detail is { } detail && JsonPath().Match(detail) is { Success: true } match ? match.Groups[1].Value : "$";
        problem.Title = "The request could not be read.";
        problem.Detail = path == "$"
            ? "The body is not a JSON object of this request's shape."
            : $"The value at {path} is not one of the allowed values, or not of the expected type.";
        problem.Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1";
        problem.Extensions.Remove("lineNumber");
        problem.Extensions.Remove("bytePositionInLine");
        if (path != "$")
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [FieldOf(path)] = [NotAChoice] };
        }
    }

    /// <summary>Each declared name of an enum as it appears in JSON: a <see cref="JsonStringEnumMemberNameAttribute"/> wins (e.g. "0-5").</summary>
    public static IEnumerable<(string Name, object Value)> DeclaredNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name, f.GetValue(null)!));

    /// <summary>
    /// The API description lists every code, as the framework's own converter would have had it
    /// described: a converter of our own is opaque to the schema generator, which says nothing.
    /// </summary>
    public static void DescribeCodes(OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        if (context.JsonTypeInfo.Type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. DeclaredNames(context.JsonTypeInfo.Type).Select(n => (JsonNode)JsonValue.Create(n.Name))];
        }

        return Task.CompletedTask;
    });

    /// <summary>The request field in the API's own naming (<c>details.forms[1]</c>), from a JSON path (<c>$.details.forms[1]</c>).</summary>
    public static string FieldOf(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    // The serializer's message ends "Path: $.details.category | LineNumber: 0 | BytePositionInLine: 12."
    [GeneratedRegex(@"Path: (\$[^ |]*)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex JsonPath();

    /// <summary>Model binding already refuses an undefined enum on a form; its message is said in the reader's language.</summary>
    private sealed class LocalisedBindingMessages(IStringLocalizerFactory localizers) : IConfigureOptions<MvcOptions>
    {
        public void Configure(MvcOptions options)
        {
            var l = localizers.Create(typeof(SharedResource));

            // Called while binding, after request localisation has set the reader's culture. The
            // value typed is never repeated: the field beside the message shows it.
            options.ModelBindingMessageProvider.SetValueIsInvalidAccessor(_ => l[NotAChoice]);
            options.ModelBindingMessageProvider.SetAttemptedValueIsInvalidAccessor((_, _) => l[NotAChoice]);
            options.ModelBindingMessageProvider.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => l[NotAChoice]);
        }
    }
}

/// <summary>Every enum read from a request goes through <see cref="StrictEnumConverter{T}"/>.</summary>
public sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert), options)!;
}

/// <summary>
/// Reads an enum only from one of its declared names (or, for a flags enum, a comma-separated
/// list of them): never from a number, a numeric string, or a list of names that happens to add
/// up to another value. Writes as the framework's string converter does.
/// </summary>
public sealed class StrictEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly bool IsFlags = typeof(T).IsDefined(typeof(FlagsAttribute));

    private static readonly Dictionary<string, T> Names = StrictInput.DeclaredNames(typeof(T)).ToDictionary(n => n.Name, n => (T)n.Value, StringComparer.Ordinal);

    private readonly JsonConverter<T> writer;

    public StrictEnumConverter(JsonSerializerOptions options) =>
        writer = (JsonConverter<T>)new JsonStringEnumConverter<T>(namingPolicy: null, allowIntegerValues: false).CreateConverter(typeof(T), options);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Parse(reader.GetString()) is { } value ? value : throw new JsonException();

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString()) ?? throw new JsonException();

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => this.writer.Write(writer, value, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => this.writer.WriteAsPropertyName(writer, value, options);

    /// <summary>The value of a declared name, or null: a null from here is a refusal, thrown without a message so the serializer adds the field's path.</summary>
    public static T? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Names.TryGetValue(text, out var single))
        {
            return single;
        }

        if (!IsFlags)
        {
            return null;
        }

        var bits = 0UL;
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Names.TryGetValue(name, out var flag))
            {
                return null;
            }

            bits |= Convert.ToUInt64(flag, System.Globalization.CultureInfo.InvariantCulture);
        }

        return (T)Enum.ToObject(typeof(T), bits);
    }
}
