namespace MotCua.Dossier.Dossiers;

/// <summary>
/// Our statuses and the national public-service portal's (Cổng Dịch vụ công quốc gia), one to one, in
/// this one place, so a later sync with the portal is a mapping rather than a rewrite.
/// </summary>
public static class PortalStatus
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["registered"] = "Mới đăng ký",
        ["received"] = "Được tiếp nhận",
        ["refused"] = "Không được tiếp nhận",
        ["processing"] = "Đang xử lý",
        ["waiting_supplement"] = "Yêu cầu bổ sung",
        ["waiting_payment"] = "Chờ thực hiện nghĩa vụ tài chính",
        ["withdrawn"] = "Rút hồ sơ",
        ["stopped"] = "Dừng xử lý",
        ["rejected"] = "Trả lại hồ sơ không đủ điều kiện",
        ["resolved"] = "Đã xử lý xong",
        ["returned"] = "Đã trả kết quả",
    };

    public static string Of(string status) => Map.TryGetValue(status, out var portal) ? portal : status;
}
