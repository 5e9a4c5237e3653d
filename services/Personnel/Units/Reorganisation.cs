namespace MotCua.Personnel.Units;

/// <summary>
/// What the reorganisations (merge, dissolve, split, rename, move) share: the effective date, who is posted in a unit
/// from that date, which units still hang under it, and moving postings to a successor.
/// </summary>
public static class Reorganisation
{
    public static void ValidateEffectiveOn(DateOnly? effectiveOn, FieldErrors errors)
    {
        if (effectiveOn is null) errors.Add("effectiveOn", "Required (YYYY-MM-DD).");
        else if (!RecordDates.Contains(effectiveOn.Value)) errors.Add("effectiveOn", RecordDates.Range);
    }

    /// <summary>The officials with a posting in <paramref name="unit"/> open on <paramref name="day"/> or starting later.</summary>
    public static Task<List<Guid>> PostedFromAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid unit, DateOnly day, CancellationToken ct) =>
        connection.ListAsync(tx, """
            SELECT DISTINCT official_id FROM postings WHERE unit_id = $1 AND (valid_to IS NULL OR valid_to > $2)
            """, r => r.GetGuid(0), ct, unit, day);

    /// <summary>The codes of the units under <paramref name="unit"/> still open on <paramref name="day"/> or opening later.</summary>
    public static Task<List<string>> ChildrenFromAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid unit, DateOnly day, CancellationToken ct) =>
        connection.ListAsync(tx, """
            SELECT code FROM units WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to > $2) ORDER BY code
            """, r => r.GetString(0), ct, unit, day);

    /// <summary>
    /// Closes each posting in <paramref name="sources"/> open across the date and opens one in <paramref name="into"/>;
    /// later postings move whole. With <paramref name="only"/>, just those officials move (a split sends each part its own).
    /// </summary>
    public static async Task<List<Guid>> MoveOfficialsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] sources, Guid into, DateOnly effectiveOn, CancellationToken ct,
        Guid[]? only = null)
    {
        const string Which = "unit_id = ANY($1) AND ($4::uuid[] IS NULL OR official_id = ANY($4))";
        var moved = await connection.ListAsync(tx, $"""
            UPDATE postings SET unit_id = $2 WHERE {Which} AND valid_from >= $3 RETURNING official_id
            """, r => r.GetGuid(0), ct, sources, into, effectiveOn, only);
        moved.AddRange(await connection.ListAsync(tx, $"""
            INSERT INTO postings (official_id, unit_id, valid_from, valid_to)
            SELECT official_id, $2, $3, valid_to FROM postings
            WHERE {Which} AND valid_from < $3 AND (valid_to IS NULL OR valid_to > $3)
            RETURNING official_id
            """, r => r.GetGuid(0), ct, sources, into, effectiveOn, only));
        await connection.ExecuteAsync(tx, $"""
            UPDATE postings SET valid_to = $3
            WHERE {Which} AND valid_from < $3 AND (valid_to IS NULL OR valid_to > $3)
            """, ct, sources, into, effectiveOn, only);
        return moved.Distinct().ToList();
    }
}

/// <summary>Why a reorganisation cannot be done: the field to name, the rule, and whether it is a 409 (the state) or a 400.</summary>
public sealed record Refusal(string Field, string Message, bool Conflict = false)
{
    public IResult ToResult() => Conflict ? new FieldErrors().Add(Field, Message).ToConflict() : new FieldErrors().Add(Field, Message).ToResult();
}
