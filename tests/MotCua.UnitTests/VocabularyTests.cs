using MotCua.Contracts;
using MotCua.Dossier.Dossiers;

namespace MotCua.UnitTests;

/// <summary>The workflow, the portal mapping and the pages speak of the same statuses and actions, each named once.</summary>
public sealed class VocabularyTests
{
    [Fact]
    public void Every_action_of_the_workflow_has_its_words_and_starts_only_from_known_statuses()
    {
        Assert.All(Workflow.Rules, rule =>
        {
            Assert.True(WorkflowActions.Labels.ContainsKey(rule.Key), $"no label for the action {rule.Key}");
            Assert.All(rule.Value.From, status => Assert.True(DossierStatuses.Labels.ContainsKey(status), $"{rule.Key} starts from unknown {status}"));
        });
        Assert.Empty(WorkflowActions.Labels.Keys.Except(Workflow.Rules.Keys));
    }

    [Fact]
    public void Every_status_has_a_label_and_a_name_on_the_national_portal()
    {
        Assert.Equal(DossierStatuses.Labels.Keys.Order(), PortalStatus.Map.Keys.Order());
        Assert.All(DossierStatuses.Labels.Values, label => Assert.False(string.IsNullOrWhiteSpace(label)));
        Assert.Equal(DossierStatuses.Labels.Count, DossierStatuses.Labels.Values.Distinct().Count());
    }
}
