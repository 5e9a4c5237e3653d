using MotCua.Contracts;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// <c>GET /api/workflow</c>: every action with its label, the statuses it starts from and the roles that take it, so a
/// workbench offers only what the API will accept; <c>GET /api/dossier-statuses</c>: every status with the label people
/// read and the national portal's name for it; <c>GET /api/submission-channels</c>: how a dossier may be handed in. The
/// pages take their words from here rather than keep their own.
/// </summary>
public static class WorkflowApi
{
    public static void MapWorkflowApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/workflow", () => Results.Ok(Workflow.Rules.Select(rule => new
        {
            action = rule.Key, label = WorkflowActions.LabelOf(rule.Key), from = rule.Value.From, roles = rule.Value.Roles,
            needsReason = rule.Value.NeedsReason,
        })));
        app.MapGet("/api/dossier-statuses", () => Results.Ok(DossierStatuses.Labels.Select(status => new
        {
            status = status.Key, label = status.Value, portalStatus = PortalStatus.Of(status.Key), open = DossierStatuses.Open.Contains(status.Key),
        })));
        app.MapGet("/api/submission-channels", () => Results.Ok(SubmissionChannels.Labels.Select(channel => new
        {
            channel = channel.Key, label = channel.Value,
        })));
    }
}
