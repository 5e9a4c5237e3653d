namespace MotCua.Dossier.Dossiers;

/// <summary><c>GET /api/workflow</c>: every action with the statuses it starts from and the roles that take it, so a workbench offers only what the API will accept.</summary>
public static class WorkflowApi
{
    public static void MapWorkflowApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/workflow", () => Results.Ok(Workflow.Rules.Select(rule =>
            new { action = rule.Key, from = rule.Value.From, roles = rule.Value.Roles, needsReason = rule.Value.NeedsReason })));
}
