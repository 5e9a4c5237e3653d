namespace MotCua.Contracts;

/// <summary>
/// The statuses a dossier passes through (trạng thái hồ sơ) and the words officials and citizens read for them: the one
/// home that the workflow, the portal mapping, the control sheet, the notices and the web pages all take them from.
/// </summary>
public static class DossierStatuses
{
    public const string Registered = "registered";
    public const string Received = "received";
    public const string Refused = "refused";
    public const string Processing = "processing";
    public const string WaitingSupplement = "waiting_supplement";
    public const string WaitingPayment = "waiting_payment";
    public const string Resolved = "resolved";
    public const string Returned = "returned";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";
    public const string Stopped = "stopped";

    /// <summary>Still in the platform's hands: counted against its due time.</summary>
    public static readonly string[] Open = [Registered, Received, Processing, WaitingSupplement, WaitingPayment];

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Registered] = "Đăng ký trực tuyến",
        [Received] = "Đã tiếp nhận",
        [Refused] = "Từ chối tiếp nhận",
        [Processing] = "Đang giải quyết",
        [WaitingSupplement] = "Chờ bổ sung",
        [WaitingPayment] = "Chờ thực hiện nghĩa vụ tài chính",
        [Resolved] = "Chờ trả kết quả",
        [Returned] = "Đã trả kết quả",
        [Rejected] = "Đã trả lại",
        [Withdrawn] = "Đã rút",
        [Stopped] = "Dừng giải quyết",
    };

    public static string LabelOf(string status) => Labels.TryGetValue(status, out var label) ? label : status;
}

/// <summary>What an official does to a dossier (the workflow's actions), and the words on the buttons and the control sheet.</summary>
public static class WorkflowActions
{
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["receive"] = "Tiếp nhận",
        ["refuse"] = "Từ chối tiếp nhận",
        ["transfer"] = "Chuyển hồ sơ",
        ["assign"] = "Phân công",
        ["complete-step"] = "Hoàn thành bước",
        ["approve"] = "Phê duyệt",
        ["reject"] = "Trả lại",
        ["request-supplement"] = "Yêu cầu bổ sung",
        ["resubmit"] = "Nộp bổ sung",
        ["request-payment"] = "Yêu cầu nộp phí",
        ["confirm-payment"] = "Đã nộp phí",
        ["mark-result-ready"] = "Có kết quả",
        ["return"] = "Trả kết quả",
        ["withdraw"] = "Rút hồ sơ",
        ["stop"] = "Dừng giải quyết",
        ["apologize"] = "Xin lỗi, hẹn lại",
    };

    public static string LabelOf(string action) => Labels.TryGetValue(action, out var label) ? label : action;
}

/// <summary>How a dossier reached the platform (hình thức nộp hồ sơ), and the words people read for it.</summary>
public static class SubmissionChannels
{
    public const string Counter = "counter";
    public const string Postal = "postal";
    public const string Online = "online";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Counter] = "Trực tiếp",
        [Postal] = "Bưu chính",
        [Online] = "Trực tuyến",
    };
}

/// <summary>How a person is told something: a text to the citizen's phone, an e-mail, or the log officials read.</summary>
public static class NotificationChannels
{
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Log = "log";

    public static readonly string[] All = [Sms, Email, Log];
}

/// <summary>
/// The kinds of unit in the tree: territorial units (đơn vị hành chính), clusters of them, and agencies (cơ quan chuyên
/// môn) attached to a territorial unit. Personnel validates them; the catalogue's <c>receivedBy</c> and a step's
/// <c>unitKind</c> name them.
/// </summary>
public static class UnitTypes
{
    public const string Province = "province";
    public const string Agency = "agency";

    /// <summary>Tỉnh, huyện, xã, phường, thị trấn, đặc khu, clusters of communes, and agencies.</summary>
    public static readonly string[] All = [Province, "district", "commune", "ward", "town", "special_zone", "cluster", Agency];

    /// <summary>The commune level: what commune rankings rank and the "every official up to standard" count is about.</summary>
    public static readonly string[] CommuneLevel = ["commune", "ward", "town", "special_zone"];
}

/// <summary>What an agency does (loại cơ quan), so a liên thông step can name the kind of body rather than one body.</summary>
public static class AgencyKinds
{
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["department"] = "Sở, ban, ngành",
        ["land_registration"] = "Văn phòng / Chi nhánh đăng ký đất đai",
        ["tax"] = "Cơ quan thuế",
        ["police"] = "Công an",
        ["social_insurance"] = "Bảo hiểm xã hội",
        ["service_center"] = "Trung tâm phục vụ hành chính công",
        ["other"] = "Cơ quan khác",
    };

    public static readonly string[] All = [.. Labels.Keys];

    /// <summary>What a unit is for the catalogue: an agency by its kind, any other unit by its type.</summary>
    public static string KindOf(string type, string? agencyKind) => type == UnitTypes.Agency ? agencyKind ?? "other" : type;
}
