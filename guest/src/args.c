/* args: echoes argc and every argv string, then the environment variables whose names start
 * with NANOTS_ (in environ order) and whether a few common ones are set. The output depends
 * only on the arguments and the environment the program is given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "not NULL");

    int count = 0;
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, "NANOTS_", 7) == 0)
            printf("env %s\n", *e);
        count++;
    }
    const char *probe[] = { "NANOTS_MODE", "HOME", "PATH" };
    for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
        printf("getenv(%s) %s\n", probe[i], getenv(probe[i]) ? "set" : "unset");
    return 0;
}
