using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace ChatPulse.TwitchStandIn.Helix;

/// <summary>Helix's <c>"pagination":{"cursor":"…"}</c>; an empty object on the last page.</summary>
public sealed record Pagination([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cursor)
{
    public sealed record Result<T>(IReadOnlyList<T> Items, Pagination Pagination, IResult? Error);

    /// <summary>
    /// The page after <paramref name="after"/>, an opaque cursor holding the position of the last item already
    /// returned; items deleted between pages do not disturb the next page.
    /// </summary>
    public static Result<T> Page<T>(IEnumerable<T> items, Func<T, long> position, string? after, int size)
    {
        var ordered = items.OrderBy(position).ToList();
        var last = long.MinValue;
        if (!string.IsNullOrEmpty(after) && !TryDecode(after, out last))
        {
            return new Result<T>([], new Pagination((string?)null), HelixError.BadRequest("The parameter \"after\" is not a valid cursor"));
        }

        var remaining = ordered.Where(i => position(i) > last).ToList();
        var page = remaining.Take(size).ToList();
        var cursor = remaining.Count > page.Count
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes("p:" + position(page[^1]).ToString(CultureInfo.InvariantCulture)))
            : null;
        return new Result<T>(page, new Pagination(cursor), null);
    }

    private static bool TryDecode(string cursor, out long position)
    {
        position = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("p:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(2), NumberStyles.Integer, CultureInfo.InvariantCulture, out position);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
