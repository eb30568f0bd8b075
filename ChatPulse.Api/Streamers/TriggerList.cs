using System.Collections;
using System.Runtime.CompilerServices;
using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Streamers;

/// <summary>
/// One side's triggers, in the streamer's order, with a hash set of their normal forms so a vote is looked up in
/// O(length of the text), however many triggers there are. Immutable; equal when the same triggers are in the same order.
/// </summary>
[CollectionBuilder(typeof(TriggerList), nameof(Create))]
public sealed class TriggerList : IReadOnlyList<string>, IEquatable<TriggerList>
{
    private readonly string[] _items;

    // OrdinalIgnoreCase over the normal form is equality of VoteMatcher.TriggerKey: the one "same trigger" rule.
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _shortest;
    private readonly int _longest;

    private TriggerList(string[] items)
    {
        _items = items;
        var normalized = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        _shortest = int.MaxValue;
        foreach (var item in items)
        {
            var form = VoteMatcher.Normalize(item);
            normalized.Add(form.ToString());
            _shortest = Math.Min(_shortest, form.Length);
            _longest = Math.Max(_longest, form.Length);
        }

        _lookup = normalized.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _items.Length;

    public string this[int index] => _items[index];

    /// <summary>The collection-expression builder: <c>["yes", "y"]</c>. A null item reads as empty (and fails validation).</summary>
    public static TriggerList Create(ReadOnlySpan<string> items)
    {
        var copy = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            copy[i] = items[i] ?? "";
        }

        return new TriggerList(copy);
    }

    /// <summary>The dashboard's textarea: one trigger per line; blank lines are left out.</summary>
    public static TriggerList FromLines(string? text) =>
        Create((text ?? "").Split('\n').Select(line => line.TrimEnd('\r')).Where(line => !VoteMatcher.Normalize(line).IsEmpty).ToArray());

    /// <summary>True when <paramref name="normalizedText"/> (already in <see cref="VoteMatcher.Normalize"/>'s form) is one of the triggers.</summary>
    public bool Contains(ReadOnlySpan<char> normalizedText) =>
        normalizedText.Length >= _shortest && normalizedText.Length <= _longest && _lookup.Contains(normalizedText);

    /// <summary>The same triggers in the matcher's normal form, as they are stored.</summary>
    public TriggerList Normalized() => new(_items.Select(item => VoteMatcher.Normalize(item).ToString()).ToArray());

    /// <summary>One per line, as the dashboard's textarea shows them.</summary>
    public string ToLines() => string.Join('\n', _items);

    public bool Equals(TriggerList? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as TriggerList);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", _items);

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
