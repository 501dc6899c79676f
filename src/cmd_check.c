/* cmd_check.c: `claimscan check`, the rule maintainers' CI gate. */
#include "cmd.h"
#include "cs.h"
#include "hardware.h"
#include "rules.h"
#include "scan.h"

#include <string.h>

int extract_load_rules(const char *dir, ruleset **out);

int cmd_check(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rules") && i + 1 < argc)
            dir = argv[++i];
        else {
            cs_error("unknown option '%s'", argv[i]);
            return CS_EXIT_USAGE;
        }
    }
    ruleset *rs;
    if (extract_load_rules(dir, &rs))
        return CS_EXIT_RULES;
    scanner *sc = scanner_new(rs);
    int passed = 0, hwpassed = 0;
    int fails = scan_check_examples(sc, stdout, &passed);
    hwscan *hs = hwscan_new(rs->hw);
    fails += hwcat_check_examples(rs->hw, hs, stdout, &hwpassed);
    hwscan_free(hs);
    printf("%d of %d examples passed\n", passed + hwpassed, passed + hwpassed + fails);
    scanner_free(sc);
    ruleset_free(rs);
    return fails ? CS_EXIT_DOCERR : CS_EXIT_OK;
}
