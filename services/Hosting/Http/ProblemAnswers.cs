using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MotCua.Hosting.Http;

public static class ProblemAnswers
{
    /// <summary>
    /// Writes a problem from an exception handler. The problem service writes only what the request's Accept allows;
    /// a caller who asked for <c>text/csv</c> (a report) still gets the problem as JSON rather than an empty answer.
    /// </summary>
    public static async ValueTask<bool> WriteAsync(this IProblemDetailsService problems, HttpContext context, ProblemDetails problem, Exception exception)
    {
        context.Response.StatusCode = problem.Status!.Value;
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }))
            return true;
        await context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json");
        return true;
    }
}
