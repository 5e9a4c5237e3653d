using System.Globalization;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Papers.Signing;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Papers;

/// <summary>
/// The statutory papers (docs/api.md §4): <c>GET /api/dossiers/{code}/forms/{form}</c> (01, 02, 03, 05) and the register
/// <c>GET /api/registers?unitId=&amp;from=&amp;to=</c>, HTML or PDF. A form the dossier's state does not call for is a 409 naming
/// the rule; scope as every dossier read (404 outside the caller's units). Messages are Vietnamese: they reach the counter.
/// </summary>
public static class PapersApi
{
    /// <summary>The longest period one register covers: a year's book.</summary>
    private const int MaxRegisterDays = 366;

    /// <summary>More lines than a printed book of a busy commune's year holds: past it, ask for a shorter period.</summary>
    private const int MaxRegisterEntries = 20_000;

    public static void MapPapersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dossiers/{code}/forms/{form}", Form);
        app.MapGet("/api/registers", RegisterBook);
    }

    /// <summary>Where the configuration says the papers' font and public address are.</summary>
    public sealed record Settings(string? FontDirectory, string PublicBaseUrl)
    {
        public static Settings From(IConfiguration configuration) => new(
            configuration["Papers:FontDirectory"], configuration["Papers:PublicBaseUrl"] is { Length: > 0 } url ? url : "http://localhost:8080");
    }

    /// <summary>
    /// HTML unless PDF is asked for (<c>?format=pdf</c> or <c>Accept: application/pdf</c>); the PDF as <see cref="PdfAsync"/>
    /// makes it. The HTML is a view to print and is never signed, so it carries no unsigned notice.
    /// </summary>
    public static async Task<IResult> DeliverAsync(
        HttpContext http, string? format, Paper paper, Guid? signedBy, IConfiguration configuration, PaperSigning signing, CancellationToken ct) =>
        WantsPdf(http, format)
            ? await PdfAsync(paper, signedBy, configuration, signing, ct)
            : Results.Content(PaperHtml.Render(paper), "text/html; charset=utf-8");

    /// <summary>
    /// The paper's PDF through <see cref="PaperPdf.Render"/>, the one place every paper's PDF is made, signed with the
    /// certificate of <paramref name="signedBy"/>, the unit in whose name it is issued, or printed with the line saying why
    /// not (Papers/Signing). Null: a paper not to be signed (a draft), as it is.
    /// </summary>
    public static async Task<IResult> PdfAsync(Paper paper, Guid? signedBy, IConfiguration configuration, PaperSigning signing, CancellationToken ct)
    {
        var fonts = Settings.From(configuration).FontDirectory;
        if (signedBy is not { } unit) return Results.File(PaperPdf.Render(paper, fonts), "application/pdf", paper.FileName);
        var signed = await signing.IssueAsync(unit, notice => PaperPdf.Render(notice is null ? paper : paper with { FootNotice = notice }, fonts),
            new SignatureDetails(paper.Number is { } number ? $"{paper.Title}, {number}" : paper.Title, paper.Issuer.Place), ct);
        return Results.File(signed.Pdf, "application/pdf", paper.FileName);
    }

    public static bool WantsPdf(HttpContext http, string? format) =>
        format == "pdf" || (format is null && http.Request.Headers.Accept.ToString().Contains("application/pdf", StringComparison.Ordinal));

    /// <summary>A 400 naming <c>format</c> when it is none of <paramref name="allowed"/>; null when absent or allowed.</summary>
    public static IResult? FormatError(string? format, params string[] allowed) =>
        format is null || allowed.Contains(format) ? null
            : new FieldErrors().Add("format", $"Định dạng phải là một trong: {string.Join(", ", allowed)}.").ToResult();

    private static async Task<IResult> Form(
        string code, string form, string? format, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope, TimeProvider time,
        IConfiguration configuration, PaperSigning signing, CancellationToken ct)
    {
        if (FormatError(format, "html", "pdf") is { } badFormat) return badFormat;
        if (form is not ("01" or "02" or "03" or "05"))
            return new FieldErrors().Add("form", "Mẫu phải là một trong: 01 (tiếp nhận và hẹn trả), 02 (yêu cầu bổ sung), 03 (từ chối), 05 (dừng giải quyết).").ToResult();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var dossier = await DossierView.FindAsync(connection, null, "code", code, ct);
        if (dossier is null || !await dossier.VisibleToAsync(scope, Caller.From(http), ct)) return Problems.NotFound($"No dossier {code}.");
        // The forms print the applicant's id, address and phone: a viewer sees them masked, and a staff read is recorded.
        dossier = await Lookup.PresentAsync(connection, dossier, http, time, ct);
        var receiving = await PaperDirectory.IssuerAsync(connection, dossier.UnitId, ct);
        var history = await HistoryAsync(connection, dossier.Id, ct);
        Paper? paper;
        string rule;
        // The unit in whose name the form is issued signs it: the receiving counter's, or the unit that refused or stopped.
        var issuing = dossier.UnitId;
        switch (form)
        {
            case "01":
                rule = "Mẫu số 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) chỉ lập cho hồ sơ đã được tiếp nhận; hồ sơ này "
                    + (dossier.Status == "registered" ? "mới đăng ký trực tuyến, chưa được tiếp nhận." : "đã bị từ chối tiếp nhận.");
                paper = dossier.Status is "registered" or "refused" || dossier.ProcedureVersion is null ? null : await ReceiptAsync(connection, dossier, receiving, history, configuration, ct);
                break;
            case "02":
                rule = "Mẫu số 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) chỉ lập khi hồ sơ đã có yêu cầu bổ sung; hồ sơ này chưa có.";
                paper = history.LastOrDefault(h => h.Action == "request-supplement") is { } request
                    ? SupplementRequestForm.Of(dossier, receiving, request, await PaperDirectory.OfficialAsync(connection, request.ActorId, ct))
                    : null;
                break;
            case "03":
                rule = "Mẫu số 03 (Phiếu từ chối tiếp nhận giải quyết hồ sơ) chỉ lập cho hồ sơ bị từ chối tiếp nhận hoặc trả lại vì không đủ điều kiện; "
                    + $"hồ sơ này đang ở trạng thái \"{dossier.PortalStatus}\".";
                paper = dossier.Status is "refused" or "rejected" && history.LastOrDefault(h => h.Action is "refuse" or "reject") is { } refusal
                    ? RefusalForm.Of(dossier, await PaperDirectory.IssuerAsync(connection, issuing = refusal.FromUnitId ?? dossier.UnitId, ct), refusal,
                        await PaperDirectory.OfficialAsync(connection, refusal.ActorId, ct))
                    : null;
                break;
            default:
                rule = dossier.Status != "stopped"
                    ? $"Mẫu số 05 (Phiếu dừng giải quyết hồ sơ) chỉ lập cho hồ sơ đã dừng giải quyết; hồ sơ này đang ở trạng thái \"{dossier.PortalStatus}\"."
                    : "Mẫu số 05 là mẫu của Thông tư 03/2025/TT-VPCP, chỉ áp dụng cho hồ sơ giải quyết theo Nghị định 118/2025/NĐ-CP.";
                paper = dossier.Status == "stopped" && dossier.RuleSet == "ND118-2025" && history.LastOrDefault(h => h.Action == "stop") is { } stop
                    ? StopForm.Of(dossier, await PaperDirectory.IssuerAsync(connection, issuing = stop.FromUnitId ?? dossier.UnitId, ct), receiving, stop,
                        await PaperDirectory.OfficialAsync(connection, stop.ActorId, ct))
                    : null;
                break;
        }
        return paper is null
            ? Problems.Conflict(rule)
            : await DeliverAsync(http, format, paper, issuing, configuration, signing, ct);
    }

    private static async Task<Paper> ReceiptAsync(
        NpgsqlConnection connection, DossierView dossier, Issuer receiving, IReadOnlyList<HistoryEntry> history, IConfiguration configuration,
        CancellationToken ct)
    {
        var procedure = await Procedure.OfAsync(connection, null, dossier.ProcedureCode, dossier.ProcedureVersion!.Value, ct);
        // The result is returned where the last step (the return step) is performed: the receiving counter, or the one chosen.
        var returnUnit = dossier.Steps.Count > 0 ? dossier.UnitOf(dossier.Steps[^1]) : dossier.UnitId;
        var returnPlace = ApplicantFields.CounterOf(returnUnit == dossier.UnitId ? receiving : await PaperDirectory.IssuerAsync(connection, returnUnit, ct));
        var receiver = history.FirstOrDefault(h => h.Action == "receive") is { } received
            ? await PaperDirectory.OfficialAsync(connection, received.ActorId, ct) ?? new Signatory(received.ActorName, null)
            : null;
        return ReceiptForm.Of(dossier, procedure, receiving, returnPlace, receiver,
            DossierQr.Of(Settings.From(configuration).PublicBaseUrl, dossier.Code));
    }

    public static Task<List<HistoryEntry>> HistoryAsync(NpgsqlConnection connection, Guid dossierId, CancellationToken ct) =>
        connection.ListAsync(null, """
            SELECT at, action, actor_id, actor_name, note, from_unit_id, to_unit_id FROM dossier_history WHERE dossier_id = $1 ORDER BY id
            """, r => new HistoryEntry(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.NullableString(4),
            r.Nullable<Guid>(5), r.Nullable<Guid>(6)), ct, dossierId);

    /// <summary>
    /// The register of the dossiers a unit's counter received from <c>from</c> to <c>to</c> (days in Vietnam, both
    /// included): CSV by default, PDF with <c>format=pdf</c> or <c>Accept: application/pdf</c>.
    /// </summary>
    private static async Task<IResult> RegisterBook(
        string? unitId, string? from, string? to, string? format, HttpContext http, NpgsqlDataSource dataSource, UnitScope scope,
        TimeProvider time, IConfiguration configuration, PaperSigning signing, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (format is not (null or "csv" or "pdf")) errors.Add("format", "Định dạng phải là csv hoặc pdf.");
        if (!Guid.TryParse(unitId, out var unit)) errors.Add("unitId", "Bắt buộc: mã định danh (GUID) của đơn vị.");
        var first = Day("from", from, errors);
        var last = Day("to", to, errors);
        if (first is { } f && last is { } l)
        {
            if (l < f) errors.Add("to", "Ngày kết thúc không được trước ngày bắt đầu.");
            else if (l.DayNumber - f.DayNumber >= MaxRegisterDays) errors.Add("to", $"Mỗi sổ theo dõi tối đa {MaxRegisterDays} ngày.");
        }
        if (errors.Any) return errors.ToResult();
        var caller = Caller.From(http);
        if (!await scope.CoversAsync(caller, unit, ct)) return Problems.NotFound($"No unit {unit} among yours.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var start = new DateTimeOffset(first!.Value.ToDateTime(TimeOnly.MinValue), Calendar.WorkingCalendar.Offset);
        var end = new DateTimeOffset(last!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue), Calendar.WorkingCalendar.Offset);
        var entries = await connection.ListAsync(null, """
            SELECT d.code, coalesce(d.procedure_name, d.procedure_code), d.applicant->>'fullName', d.applicant->>'address', d.applicant->>'phone',
                   coalesce((SELECT string_agg(DISTINCT u.name, ', ') FROM dossier_steps s JOIN unit_directory u ON u.id = s.unit_id
                             WHERE s.dossier_id = d.id AND s.unit_id <> d.unit_id), ''),
                   d.received_at, d.due_at, d.new_due_at,
                   (SELECT max(h.at) FROM dossier_history h WHERE h.dossier_id = d.id AND h.action = 'return'), d.status
            FROM dossiers d
            WHERE d.unit_id = $1 AND d.received_at >= $2 AND d.received_at < $3
            ORDER BY d.received_at, d.code
            LIMIT $4
            """, r => new Register.Entry(r.GetString(0), r.GetString(1), r.NullableString(2), r.NullableString(3), r.NullableString(4),
            r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), r.Nullable<DateTimeOffset>(7), r.Nullable<DateTimeOffset>(8),
            r.Nullable<DateTimeOffset>(9), PortalStatus.Of(r.GetString(10))), ct, unit, start, end, MaxRegisterEntries + 1);
        if (entries.Count > MaxRegisterEntries)
            return new FieldErrors().Add("to", $"Kỳ này có hơn {MaxRegisterEntries} hồ sơ; hãy chia thành các kỳ ngắn hơn.").ToResult();
        // A viewer reads dashboards, not citizens' contact details: the book shows them masked, as a dossier read does.
        if (!caller.SeesPersonalData)
            entries = [.. entries.Select(e => e with { Address = null, Phone = e.Phone is { } p ? Masking.Phone(p) : null })];
        var name = $"so-theo-doi-{first:yyyyMMdd}-{last:yyyyMMdd}";
        if (WantsPdf(http, format))
        {
            var paper = Register.Of(await PaperDirectory.IssuerAsync(connection, unit, ct), first.Value, last.Value, entries, time.GetUtcNow());
            return await PdfAsync(paper, unit, configuration, signing, ct);
        }
        return Register.Csv(entries).ToResult(name + ".csv");
    }

    private static DateOnly? Day(string field, string? value, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value)) { errors.Add(field, "Bắt buộc: ngày theo dạng YYYY-MM-DD."); return null; }
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        { errors.Add(field, "Ngày theo dạng YYYY-MM-DD."); return null; }
        if (day.Year is < 2000 or > 2100) { errors.Add(field, "Ngày trong khoảng năm 2000–2100."); return null; }
        return day;
    }
}
