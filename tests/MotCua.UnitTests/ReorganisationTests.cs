using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MotCua.Contracts;
using MotCua.Data.Messaging;
using MotCua.Personnel.Units;

namespace MotCua.UnitTests;

/// <summary>Reorganisation's pieces that need no database: its events on the bus, a recorded change read back, its refusals.</summary>
public sealed class ReorganisationTests
{
    [Fact]
    public void The_outbox_knows_the_reorganisation_events_and_they_travel_whole()
    {
        foreach (var type in new[] { typeof(UnitRenamed), typeof(UnitMoved), typeof(UnitDissolved), typeof(UnitSplit) })
            Assert.Same(type, IntegrationEventTypes.ByName[type.FullName!]);
        var split = new UnitSplit(Guid.NewGuid(), DateTimeOffset.UnixEpoch, Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid()],
            new DateOnly(2025, 7, 1), [new SplitPosting(Guid.NewGuid(), Guid.NewGuid())]);
        var back = JsonSerializer.Deserialize<UnitSplit>(JsonSerializer.Serialize(split, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;
        Assert.Equal(split.IntoIds, back.IntoIds);
        Assert.Equal(split.Postings, back.Postings);
    }

    [Fact]
    public void A_change_dated_ahead_is_read_back_as_recorded_even_after_a_refusal_was_added()
    {
        // As unit_changes keeps it: recorded camelCase, with the refusal the applier may add.
        var rename = new RenameUnit.Details("Phường Mới", "P-MOI", "Phường Cũ", "P-CU");
        var stored = JsonSerializer.Serialize(rename, JsonSerializerOptions.Web).TrimEnd('}') + ",\"refused\":\"code taken\"}";
        Assert.Equal(rename, JsonSerializer.Deserialize<RenameUnit.Details>(stored, JsonSerializerOptions.Web));
        var move = new MoveUnit.Details(Guid.NewGuid(), null);
        Assert.Equal(move, JsonSerializer.Deserialize<MoveUnit.Details>(JsonSerializer.Serialize(move, JsonSerializerOptions.Web), JsonSerializerOptions.Web));
    }

    [Theory]
    [InlineData(false, StatusCodes.Status400BadRequest)]
    [InlineData(true, StatusCodes.Status409Conflict)]
    public void A_refusal_names_its_field_with_the_status_of_its_kind(bool conflict, int status)
    {
        var result = Assert.IsAssignableFrom<IStatusCodeHttpResult>(new Refusal("parentId", "A cycle.", conflict).ToResult());
        Assert.Equal(status, result.StatusCode);
        var problem = Assert.IsAssignableFrom<IValueHttpResult>(result).Value;
        Assert.Contains("parentId", Assert.IsAssignableFrom<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>(problem).Errors.Keys);
    }
}
