using System.Text.Json;

namespace ChatPulse.Tests.Support;

/// <summary>One line of an API process started with <c>LOG_FORMAT=json</c> (the JSON console formatter, scopes on).</summary>
public sealed record JsonLogEntry(string Category, string Level, string Message, JsonElement State, JsonElement[] Scopes)
{
    /// <summary>A structured value of the message template (e.g. <c>Action</c>), as text.</summary>
    public string? Value(string name) =>
        State.ValueKind == JsonValueKind.Object && State.TryGetProperty(name, out var value) ? value.ToString() : null;

    /// <summary>A value from any logging scope of the entry (e.g. <c>CorrelationId</c>).</summary>
    public string? ScopeValue(string name) => Scopes
        .Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out _))
        .Select(s => s.GetProperty(name).ToString())
        .FirstOrDefault();

    /// <summary>Every JSON log entry in <paramref name="output"/>; other lines are skipped.</summary>
    public static IReadOnlyList<JsonLogEntry> Parse(string output)
    {
        var entries = new List<JsonLogEntry>();
        foreach (var line in output.Split('\n'))
        {
            var text = line.Trim();
            if (!text.StartsWith('{'))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement.Clone();
                entries.Add(new JsonLogEntry(
                    root.TryGetProperty("Category", out var category) ? category.GetString() ?? "" : "",
                    root.TryGetProperty("LogLevel", out var level) ? level.GetString() ?? "" : "",
                    root.TryGetProperty("Message", out var message) ? message.GetString() ?? "" : "",
                    root.TryGetProperty("State", out var state) ? state : default,
                    root.TryGetProperty("Scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array ? [.. scopes.EnumerateArray()] : []));
            }
            catch (JsonException)
            {
                // a partial line at the end of the buffer
            }
        }

        return entries;
    }
}
