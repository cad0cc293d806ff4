"""What an editor reads when something is wrong: the command's own lines, in Chinese,
never make's ``make: *** [Makefile:29: publish] Error 1``, Pelican's
``ERROR Could not process … generators.py:721`` or a traceback; scripts still see the failure."""

import os
import subprocess
import sys

from sitebuild import ROOT, write_article

GOOD = ("Title: 朝阳区职工书屋新添图书\nDate: 2024-03-12\nSlug: chaoyang-shuwu\n\n"
        "本报讯（记者 林晓）近日，朝阳区职工书屋新添图书三千册。\n")
BAD_PAGE = "Title: 丰台区职工篮球赛开赛\nDate: 2024-03-12\nPage: 三\nSlug: fengtai-lanqiu\n\n本报讯（记者 林晓）近日，比赛开赛。\n"
NOISE = ("make:", "make[", "Traceback", "generators.py", "ERROR", "WARNING", "Error 1")


def environment():
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("FASTBUILD_", "MAKE"))}, "NEWSROOM_LANG": "zh"}


def make(target, content, output, *extra):
    """``make TARGET`` as an editor types it, on a private content folder and output."""
    # -o: the installs are the suite's business (make test did them), not this test's.
    return subprocess.run(["make", "-C", str(ROOT), "--no-print-directory", "-o", ".venv/.installed",
                           "-o", "node_modules/.installed", target,
                           f"BUILD_ARGS=--content {content} --output {output}", f"PY={sys.executable}", *extra],
                          capture_output=True, text=True, encoding="utf-8", timeout=600, env=environment())


def test_a_refused_publish_is_said_once_in_chinese_and_still_fails_for_scripts(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_article(content, "2024/03/good.md", GOOD)
    bad = write_article(content, "2024/03/bad.md", BAD_PAGE)
    result = make("publish", content, output)
    assert result.returncode != 0  # 141: make ended quietly; CI and scripts see a failure
    assert f"{bad}:3: 错误：版次（Page）要写从 1 开始的整数，不能写 '三'" in result.stdout
    assert "newsroom build：检查发现错误，什么都没有生成，也没有发布" in result.stderr
    assert not [word for word in NOISE if word in result.stdout + result.stderr], result.stdout + result.stderr
    assert not output.exists()


def test_a_build_error_reads_as_check_prints_it_not_as_pelicans_log(tmp_path):
    # make html builds despite check's errors (to show the editor the site); Pelican then
    # meets the bad Page: the reason is said the check's way, with file, line and fix.
    content, output = tmp_path / "content", tmp_path / "output"
    write_article(content, "2024/03/good.md", GOOD)
    bad = write_article(content, "2024/03/bad.md", BAD_PAGE)
    result = make("html", content, output)
    assert result.returncode != 0
    assert f"{bad}:3: 错误：版次（Page）要写整数，不能写 '三' — 改法：写成 `Page: 1` 这样的阿拉伯数字" in result.stderr
    assert f"newsroom build：生成失败，{output} 保持原样（错误见上面）" in result.stderr
    assert not [word for word in NOISE if word in result.stdout + result.stderr], result.stdout + result.stderr
    assert "Done: Processed" not in result.stdout  # Pelican's English summary is not shown either


def test_a_good_publish_exits_0_says_where_the_site_went_and_what_comes_next(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_article(content, "2024/03/good.md", GOOD)
    result = make("publish", content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"newsroom build：网站已生成到 {output}（1 篇稿件的网页" in result.stdout
    assert "下一步：运行 make deploy 把网站上传到网上" in result.stdout
    assert not [word for word in NOISE if word in result.stdout + result.stderr], result.stdout + result.stderr
    # `make deploy` publishes first: there the next step is not announced (the deploy is it).
    deploying = subprocess.run([sys.executable, "-m", "newsroom", "build", "--publish", "--then-deploy", "--content",
                                str(content), "--output", str(output)], cwd=ROOT, capture_output=True, text=True,
                               encoding="utf-8", timeout=600, env=environment())
    assert "已是最新" in deploying.stdout and "下一步" not in deploying.stdout


def test_an_unknown_option_is_said_in_chinese_and_an_internal_error_without_a_traceback(tmp_path):
    wrong = subprocess.run([sys.executable, "-m", "newsroom", "check", "--isue", "2024-01-02"], cwd=ROOT,
                           capture_output=True, text=True, encoding="utf-8", timeout=60, env=environment())
    assert wrong.returncode == 2 and "命令写法不对：不认识这些选项：--isue" in wrong.stderr
    # A bug (here: a content folder that is a file) is one line for the editor, not a traceback.
    afile = tmp_path / "file.md"
    afile.write_text(GOOD, encoding="utf-8")
    broken = subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(afile), "--output",
                             str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                            timeout=300, env=environment())
    assert "Traceback" not in broken.stderr


def help_texts(language):
    """``--help`` of every command (and the preview's), as an editor reads it in ``language``."""
    import contextlib
    import io

    from newsroom import messages
    from newsroom.desk import cli, preview

    messages.set_language(language)
    try:
        parsers = {"": cli.build_parser(), "preview": preview.build_parser()}
        for command in cli.COMMANDS:
            parsers[command] = cli.build_parser(command)
        texts = {}
        for name, parser in parsers.items():
            argv = [name, "--help"] if name in cli.COMMANDS else ["--help"]
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
                parser.parse_args(argv)
            texts[name] = out.getvalue()
        return texts
    finally:
        messages.set_language(None)


def test_every_commands_help_is_in_the_editors_language():
    import re

    han = re.compile(r"[\u4e00-\u9fff]")
    english = re.compile(r"\b[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}\b")  # three English words in a row
    for name, text in help_texts("zh").items():
        assert text.startswith("用法："), (name, text)
        assert not english.search(text), (name, english.search(text)[0])
        # Every option is explained, in Chinese (argparse puts the help after the option or below it).
        for block in re.split(r"\n(?=  -)", text.split("\n\n", 2)[-1])[1:]:
            assert han.search(block), (name, block)
    for name, text in help_texts("en").items():
        # English, with the Chinese names of fields and examples (版名, 要闻) where they help.
        assert text.startswith("usage: ") and "默认" not in text and "显示这份说明" not in text, (name, text)


def test_pelicans_messages_an_editor_can_meet_are_said_in_the_editors_language():
    # Each template the build's log translates is one Pelican logs (read from its source:
    # another Pelican version that rewords one fails here, not silently in English).
    import ast
    import logging
    from pathlib import Path

    import pelican

    from newsroom import messages
    from newsroom.build.editor_log import KNOWN, editor_text

    constants = set()
    for path in Path(pelican.__file__).parent.glob("*.py"):
        constants |= {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                      if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    for language in ("zh", "en"):
        messages.set_language(language)
        try:
            for template, (message_id, names) in KNOWN.items():
                assert template in constants, template
                args = tuple(f"<{name}>" for name in names)
                line = editor_text(logging.LogRecord("pelican", logging.WARNING, __file__, 1, template, args, None))
                assert all(arg in line for arg in args if arg != "<allowed>"), line
                assert (line.startswith("提示：") if language == "zh" else line.startswith("warning: ")), line
        finally:
            messages.set_language(None)
