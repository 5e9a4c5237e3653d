using MotCua.Contracts;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// Our statuses and the national public-service portal's (Cổng Dịch vụ công quốc gia), one to one, in
/// this one place, so a later sync with the portal is a mapping rather than a rewrite.
/// </summary>
public static class PortalStatus
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        [DossierStatuses.Registered] = "Mới đăng ký",
        [DossierStatuses.Received] = "Được tiếp nhận",
        [DossierStatuses.Refused] = "Không được tiếp nhận",
        [DossierStatuses.Processing] = "Đang xử lý",
        [DossierStatuses.WaitingSupplement] = "Yêu cầu bổ sung",
        [DossierStatuses.WaitingPayment] = "Chờ thực hiện nghĩa vụ tài chính",
        [DossierStatuses.Withdrawn] = "Rút hồ sơ",
        [DossierStatuses.Stopped] = "Dừng xử lý",
        [DossierStatuses.Rejected] = "Trả lại hồ sơ không đủ điều kiện",
        [DossierStatuses.Resolved] = "Đã xử lý xong",
        [DossierStatuses.Returned] = "Đã trả kết quả",
    };

    public static string Of(string status) => Map.TryGetValue(status, out var portal) ? portal : status;
}
