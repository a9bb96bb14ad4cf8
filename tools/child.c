// SPDX-License-Identifier: GPL-2.0
/*
 * Running another program and waiting for it (policyc to compile or
 * print a policy, modprobe to load kcage.ko), with what is buffered on
 * our side printed first so that the outputs stay in order.
 */
#include <sys/wait.h>
#include <unistd.h>
#include "kcage.h"

/*
 * @exec(@args) in a child, which tries the places the program may be.
 * Return: its exit status, 127 if it could not be run, -1 on failure.
 */
int run_child(void (*exec)(char *const args[]), char *const args[])
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		exec(args);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
