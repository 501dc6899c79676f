/* main.c: the command table, dispatch, and the one check that stdout was
 * really written. */
#include "cs.h"
#include "cmd.h"

#include <errno.h>
#include <string.h>

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"extract", cmd_extract, "extract claims and hardware from abstracts"},
    {"eval", cmd_eval, "score a claims table against a gold file"},
    {"check", cmd_check, "test the rules: examples, snapshots, gold gates"},
    /* COMMANDS: helpers add their entries here, one line each */
    {"report", cmd_report, "comparison tables (Markdown, CSV, HTML) from a claims table"},
    {"plot", cmd_plot, "gnuplot charts of a claims table (speedups, throughput, kinds)"},
    {"diff", cmd_diff, "what changed between two claims tables (added, removed, changed)"},
};

static void usage(FILE *f)
{
    fputs("usage: claimscan <command> [options] [args]\n"
          "\n"
          "Pulls quantitative performance claims (speedups, throughput, latency,\n"
          "memory, energy, power, cost) and the hardware they were measured on\n"
          "out of research-paper abstracts, into one normalized table.\n"
          "\n"
          "commands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'claimscan <command> --help' describes one command.\n"
          "\n"
          "exit status: 0 success; 1 some documents had errors (or a gate failed);\n"
          "2 usage error or unreadable input; 3 rule errors\n", f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CS_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CS_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        puts("claimscan " CS_VERSION);
        return CS_EXIT_OK;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            cmd = &commands[i];
    if (!cmd) {
        cs_error("unknown command '%s' (see 'claimscan --help')", argv[1]);
        return CS_EXIT_USAGE;
    }
    int rc = cmd->fn(argc - 1, argv + 1);
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        cs_error("cannot write standard output: %s", strerror(errno));
        if (rc == CS_EXIT_OK)
            rc = CS_EXIT_DOCERR;
    }
    return rc;
}
