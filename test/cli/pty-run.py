# Runs a command in a pseudo-terminal, answering prompts: what a person at a terminal does.
# argv[1] is JSON {argv, env, cwd, steps: [[expected text, text to type], ...], timeout};
# prints JSON {code, output} where output is everything the terminal showed.
import json, os, pty, select, signal, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec['cwd'])
    os.execvpe(spec['argv'][0], spec['argv'], spec['env'])

out = b''
searched = 0
steps = list(spec.get('steps', []))
deadline = time.time() + spec.get('timeout', 20)
while True:
    if steps:
        at = out.find(steps[0][0].encode(), searched)
        if at != -1:
            searched = at + len(steps[0][0].encode())
            os.write(fd, steps[0][1].encode())
            steps.pop(0)
    ready, _, _ = select.select([fd], [], [], 0.05)
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    if time.time() > deadline:
        os.kill(pid, signal.SIGKILL)
        break
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'output': out.decode('utf8', 'replace')}))
