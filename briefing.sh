#!/bin/sh
# Double-click (Run) or `sh briefing.sh`: run the briefing from this folder with the
# project's .venv or its conda env, as `make briefing` does.
cd "$(dirname "$0")" || exit 1
ENV_NAME=fangshan-campaign-analysis
export PYTHONUTF8=1 PYTHONHASHSEED=0 MPLBACKEND=Agg
PY=
if [ -x .venv/bin/python ]; then
    PY=.venv/bin/python
elif [ "${CONDA_DEFAULT_ENV:-}" = "$ENV_NAME" ] && [ -x "${CONDA_PREFIX:-}/bin/python" ]; then
    PY="$CONDA_PREFIX/bin/python"
else
    for base in "$HOME/anaconda3" "$HOME/miniconda3" "$HOME/miniforge3" "$HOME/.conda" \
                /opt/anaconda3 /opt/miniconda3 /opt/conda; do
        if [ -x "$base/envs/$ENV_NAME/bin/python" ]; then
            PY="$base/envs/$ENV_NAME/bin/python"
            break
        fi
    done
fi
if [ -z "$PY" ]; then
    echo "没有找到运行环境：项目文件夹中没有 .venv，也没有名为 $ENV_NAME 的 conda 环境。"
    echo "请先按 README.md 中“没有 make 的电脑”一节建立环境（只需一次），再运行本文件。"
    status=1
elif ! "$PY" -c "import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ('analysis', 'pandas', 'matplotlib', 'openpyxl', 'pptx', 'docx', 'nbclient')))" 2>/dev/null; then
    echo "运行环境没有装完整：找到了 $PY，但本程序或它需要的库没有装好（多半是安装时断了网）。"
    echo "请按 README.md 中“没有 make 的电脑”一节，联网后重新执行安装环境的几条命令，再运行本文件。"
    status=1
else
    echo "正在生成通报材料，请稍候（第一次运行约需一两分钟）……"
    "$PY" -m analysis briefing "$@"
    status=$?
    echo
    if [ "$status" -eq 0 ]; then
        echo "完成：通报材料在上面列出的文件夹中（reports 文件夹下）。"
    else
        echo "运行结束，但有问题（返回码 $status）：请查看上面的中文说明。"
    fi
fi
if [ -t 0 ]; then
    printf '%s' "按回车键关闭窗口……"
    read -r _
fi
exit "$status"
