namespace MotCua.Contracts;

/// <summary>
/// An administrative unit (đơn vị hành chính) or a cluster of them joined the tree. Units form a tree
/// of any depth: province → (district →) commune, or the two-tier structure from 1 July 2025.
/// </summary>
public sealed record UnitRegistered(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid UnitId,
    string Code,
    string Name,
    string Type,
    Guid? ParentId,
    string? AgencyCode,
    DateOnly ValidFrom,
    string? AgencyKind = null,
    IReadOnlyList<Guid>? Serves = null) : IUnitEvent;

/// <summary>
/// The territorial units an agency serves (địa bàn phục vụ): a liên thông step naming the agency's kind is given, at intake,
/// to the agency of that kind serving the receiving unit. Empty: the agency serves the subtree of the unit it is attached to.
/// </summary>
public sealed record AgencyServiceAreaSet(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid AgencyId,
    IReadOnlyList<Guid> Serves) : IIntegrationEvent;

/// <summary>
/// Units were merged (sáp nhập): from <see cref="EffectiveOn"/> the sources are closed and the new unit
/// (announced by its own <see cref="UnitRegistered"/>) answers for their subtree; what happened
/// before stays with the sources.
/// </summary>
public sealed record UnitsMerged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    IReadOnlyList<Guid> SourceIds,
    Guid IntoId,
    DateOnly EffectiveOn,
    IReadOnlyList<Guid> MovedOfficialIds) : IIntegrationEvent;

/// <summary>
/// A cán bộ, công chức joined a unit. Carries what other services need to check who may act, and how to reach the
/// official (<see cref="Contact"/>, last and optional, so messages published before it existed still read).
/// </summary>
public sealed record OfficialRegistered(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid OfficialId,
    string FullName,
    Guid UnitId,
    string Category,
    string Title,
    IReadOnlyList<string> Roles,
    DateOnly ValidFrom,
    OfficialContact? Contact = null) : IUnitEvent;

/// <summary>How to reach an official with notices: a Vietnamese mobile number for SMS, an e-mail address. Personal data.</summary>
public sealed record OfficialContact(string? Phone, string? Email);

/// <summary>An official's contact changed; a null <see cref="Contact"/> (or null parts) means none is kept any more.</summary>
public sealed record OfficialContactChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid OfficialId,
    OfficialContact? Contact) : IIntegrationEvent;

public sealed record OfficialTransferred(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid OfficialId,
    Guid FromUnitId,
    Guid ToUnitId,
    DateOnly EffectiveOn) : IIntegrationEvent;

/// <summary>Roles changed, or the official was disabled (no roles, <see cref="Disabled"/> true).</summary>
public sealed record OfficialRolesChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid OfficialId,
    Guid UnitId,
    IReadOnlyList<string> Roles,
    bool Disabled) : IUnitEvent;

/// <summary>
/// An account's access changed (disabled, transferred, other roles, a new password): tokens issued before carry a lower
/// <see cref="AccessVersion"/> and every service refuses them from now on. <see cref="SubjectId"/> is the token's
/// subject: the official, or the account itself for one without an official (the installation's <c>admin</c>).
/// </summary>
public sealed record AccessVersionRaised(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid SubjectId,
    int AccessVersion) : IIntegrationEvent;

/// <summary>
/// A unit was renamed (đổi tên), possibly with a new code, on <see cref="EffectiveOn"/>. Published when the change takes
/// effect, so a copy of the tree simply takes the new name.
/// </summary>
public sealed record UnitRenamed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid UnitId,
    string Code,
    string Name,
    string PreviousCode,
    string PreviousName,
    DateOnly EffectiveOn) : IIntegrationEvent;

/// <summary>
/// A unit moved under another parent (điều chỉnh địa giới, e.g. communes put straight under the province when districts
/// were abolished in 2025). Published when the move takes effect; the unit keeps its identity and its dossiers.
/// </summary>
public sealed record UnitMoved(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid UnitId,
    Guid ParentId,
    Guid? PreviousParentId,
    DateOnly EffectiveOn) : IIntegrationEvent;

/// <summary>
/// A unit is dissolved (giải thể) from <see cref="EffectiveOn"/>: closed, and with a successor the successor answers for
/// it from that date as after a merge, its officials posted there.
/// </summary>
public sealed record UnitDissolved(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid UnitId,
    Guid? SuccessorId,
    DateOnly EffectiveOn,
    IReadOnlyList<Guid> MovedOfficialIds) : IIntegrationEvent;

/// <summary>Where one official is posted from a split's date.</summary>
public sealed record SplitPosting(Guid OfficialId, Guid UnitId);

/// <summary>
/// A unit is split (chia tách) into several new ones (each announced by its own <see cref="UnitRegistered"/>) from
/// <see cref="EffectiveOn"/>: the source closes, and each of its officials is posted to the part named for them.
/// </summary>
public sealed record UnitSplit(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid SourceId,
    IReadOnlyList<Guid> IntoIds,
    DateOnly EffectiveOn,
    IReadOnlyList<SplitPosting> Postings) : IIntegrationEvent;
