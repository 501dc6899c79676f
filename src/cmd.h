/* cmd.h: one entry point per subcommand (cmd_<name>.c).  Each takes argv with
 * argv[0] = the subcommand name and returns an exit status from cs.h. */
#ifndef CMD_H
#define CMD_H

#define CS_VERSION "0.1.0"

int cmd_extract(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_report(int, char **);
int cmd_plot(int, char **);
int cmd_diff(int argc, char **argv);

#endif
