<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>Language</name>
    <message>
        <location filename="../ui/language.cpp" line="+102"/>
        <source>System default</source>
        <translation>系統預設</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/download_dialog.cpp" line="+32"/>
        <source>time left unknown</source>
        <translation>剩餘時間未知</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 s left</source>
        <translation>剩 %1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s left</source>
        <translation>剩 %1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min left</source>
        <translation>剩 %1 小時 %2 分</translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <location filename="../ui/engine_types.cpp" line="+11"/>
        <source>idle</source>
        <translation>閒置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>running</source>
        <translation>執行中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>paused</source>
        <translation>已暫停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>external</source>
        <translation>外部</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ChatColumn</name>
    <message>
        <location filename="../ui/chat_column.cpp" line="+288"/>
        <source>Model name</source>
        <translation>模型名稱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove this model</source>
        <translation>移除這個模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Other folder…</source>
        <translation>其他資料夾…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hugging Face model…</source>
        <translation>Hugging Face 模型…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A model by its repo id (org/name): from the Hugging Face cache, downloaded first when it is not there</source>
        <translation>以 repo id（org/name）指定的模型：取自 Hugging Face 快取，不在快取中時先下載</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoint</source>
        <translation>檢查點</translation>
    </message>
    <message>
        <location line="-170"/>
        <source>Model or run folder</source>
        <translation>模型或訓練執行的資料夾</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>(the model itself)</source>
        <translation>（模型本身）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>latest</source>
        <translation>最新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>current weights (runs training here)</source>
        <translation>目前權重（在此訓練中的執行）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The weights of a run training in this process, copied when the models load (no checkpoint is written); for a run not training here, the latest checkpoint</source>
        <translation>在本程式中訓練的執行之權重，於載入模型時複製（不寫出檢查點）；不在此訓練的執行則用最新的檢查點</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>best (validation loss)</source>
        <translation>最佳（驗證集損失）</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>run %1</source>
        <translation>訓練 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>model folder %1</source>
        <translation>模型資料夾 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>T %1</source>
        <translation>溫度 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>top-k %1</source>
        <translation>top-k %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-p %1</source>
        <translation>top-p %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rep. %1</source>
        <translation>重複懲罰 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>seed %1</source>
        <translation>種子 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>own: %1</source>
        <translation>本欄自訂：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Not loaded: %1</source>
        <translation>無法載入：%1</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>This column&apos;s sampling settings (bold: its own, not the shared)</source>
        <translation>本欄的取樣設定（粗體：本欄自訂，與共用設定不同）</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>loaded: %1</source>
        <translation>已載入：%1</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ChatPane</name>
    <message>
        <location filename="../ui/chat_pane.cpp" line="+34"/>
        <source>Add model</source>
        <translation>新增模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A column for each run selected in the run list</source>
        <translation>為訓練列表中選取的每個訓練各加一欄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reload checkpoints</source>
        <translation>重新載入檢查點</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load the chosen checkpoints again, e.g. a training run&apos;s newest</source>
        <translation>再次載入所選的檢查點，例如訓練中執行的最新檢查點</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open…</source>
        <translation>開啟…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save / Export</source>
        <translation>儲存／匯出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transcript (JSON)…</source>
        <translation>對話紀錄（JSON）…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Every column:</source>
        <translation>所有欄位：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sampling settings shared by the columns; a column&apos;s ⚙ sets its own</source>
        <translation>各欄共用的取樣設定；欄位的 ⚙ 可設定該欄自己的值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+R: new replies to the last line, the old ones kept</source>
        <translation>Ctrl+R：為最後一句重新產生回覆，保留舊的回覆</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ctrl+E: change your last line and have every model answer it again</source>
        <translation>Ctrl+E：修改你的最後一句，讓每個模型重新回答</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chat: %1</source>
        <translation>聊天：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Editing line %1: Enter answers it again, Esc cancels</source>
        <translation>正在編輯第 %1 句：按 Enter 重新回答，按 Esc 取消</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+113"/>
        <source>Transcript (*.json)</source>
        <translation>對話紀錄 (*.json)</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Send (Enter in the input line)</source>
        <translation>送出（在輸入列按 Enter）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop the replies; cancel an edit</source>
        <translation>停止回覆；取消編輯</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Regenerate the last replies</source>
        <translation>重新產生最後的回覆</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit your last line</source>
        <translation>編輯你的最後一句</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next column</source>
        <translation>下一欄</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous column</source>
        <translation>上一欄</translation>
    </message>
    <message>
        <location line="-134"/>
        <source>Markdown, report style…</source>
        <translation>Markdown，報告格式…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Markdown table…</source>
        <translation>Markdown 表格…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HTML…</source>
        <translation>HTML…</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>HTML (*.html)</source>
        <translation>HTML (*.html)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Save chat</source>
        <translation>儲存對話</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>Say something to every model and press Enter</source>
        <translation>對所有模型說句話，按 Enter 送出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send</source>
        <translation>送出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit last</source>
        <translation>編輯上一句</translation>
    </message>
    <message>
        <location line="+127"/>
        <source>Open transcript</source>
        <translation>開啟對話紀錄</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ChatService</name>
    <message>
        <location filename="../ui/chat_service.cpp" line="+25"/>
        <source>loading models</source>
        <translation>正在載入模型</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+39"/>
        <source>Load models</source>
        <translation>載入模型</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+40"/>
        <location line="+53"/>
        <source>idle</source>
        <translation>閒置</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Load a model first.</source>
        <translation>請先載入模型。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>generating</source>
        <translation>正在生成</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+47"/>
        <source>Chat</source>
        <translation>對話</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Edit turn</source>
        <translation>編輯對話輪</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Show reply</source>
        <translation>顯示回覆</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+7"/>
        <source>Save transcript</source>
        <translation>儲存對話紀錄</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>There is no chat to save.</source>
        <translation>沒有可儲存的對話。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Open transcript</source>
        <translation>開啟對話紀錄</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ComparisonService</name>
    <message>
        <location filename="../ui/comparison_service.cpp" line="+19"/>
        <source>comparing models: loading them</source>
        <translation>比較模型：載入中</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>comparing models: %1 / %2 prompts</source>
        <translation>比較模型：%1 / %2 個提示</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Compare models</source>
        <translation>比較模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>idle</source>
        <translation>閒置</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ConversationGrid</name>
    <message>
        <location filename="../ui/conversation_grid.cpp" line="+22"/>
        <source>end of reply</source>
        <translation>回覆結束</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>length limit</source>
        <translation>達長度上限</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message numerus="yes">
        <location line="+193"/>
        <source>Show earlier turns (%n hidden)</source>
        <translation>
            <numerusform>顯示較早的對話（隱藏了 %n 輪）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+77"/>
        <location line="+1"/>
        <location line="+75"/>
        <source>user:</source>
        <translation>使用者：</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>Edit this line and have every model answer it again</source>
        <translation>編輯這一句，讓每個模型重新回答</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>answering…</source>
        <translation>回答中…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>not answered</source>
        <translation>尚未回答</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n 個 token</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 tok/s</source>
        <translation>每秒 %1 個 token</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>(stopped)</source>
        <translation>（已停止）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The reply before</source>
        <translation>前一個回覆</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The next reply</source>
        <translation>下一個回覆</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>chatbot:</source>
        <translation>聊天機器人：</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::DownloadDialog</name>
    <message>
        <location filename="../ui/download_dialog.cpp" line="+20"/>
        <source>Download Model</source>
        <translation>下載模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>main (a branch, tag or commit)</source>
        <translation>main（分支、標籤或 commit）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;List Files</source>
        <translation>列出檔案(&amp;L)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>File</source>
        <translation>檔案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Repo id</source>
        <translation>Repo id</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Download and Use</source>
        <translation>下載並使用(&amp;D)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Download</source>
        <translation>下載(&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>C&amp;ancel Download</source>
        <translation>取消下載(&amp;A)</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Cancelling… (what is complete stays in the cache)</source>
        <translation>正在取消…（已完成的部分留在快取中）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Files go to the Hugging Face cache (%1), shared with transformers and huggingface_hub.</source>
        <translation>檔案存入 Hugging Face 快取（%1），與 transformers 及 huggingface_hub 共用。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Asking the Hub for the files of %1…</source>
        <translation>正在向 Hub 查詢 %1 的檔案…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Check the files to download.</source>
        <translation>請勾選要下載的檔案。</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Downloading %n file(s) of %1…</source>
        <translation>
            <numerusform>正在下載 %1 的 %n 個檔案…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+38"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+50"/>
        <source>in the cache</source>
        <translation>已在快取中</translation>
    </message>
    <message numerus="yes">
        <location line="-44"/>
        <source>%1 at commit %2: %n file(s); those a model needs are checked.</source>
        <translation>
            <numerusform>%1 於 commit %2：%n 個檔案；模型需要的已勾選。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: %2 of %3</source>
        <translation>%1：%2／%3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All: %1 of %2 · %3 · %4</source>
        <translation>全部：%1／%2 · %3 · %4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>measuring speed</source>
        <translation>正在測量速度</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1: every file was in the cache already (%2).</source>
        <translation>%1：所有檔案都已在快取中（%2）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: downloaded %2 into %3.</source>
        <translation>%1：已下載 %2 到 %3。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cancelled; what was complete stays in the cache, and a new download resumes the rest.</source>
        <translation>已取消；已完成的部分留在快取中，再次下載時會接續其餘部分。</translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>%n file(s) checked, %1</source>
        <translation>
            <numerusform>已勾選 %n 個檔案，%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> + %n of a size the Hub tells when it is fetched</source>
        <translation>
            <numerusform> + %n 個檔案的大小要在下載時才由 Hub 告知</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chatbench::ui::DownloadService</name>
    <message>
        <location filename="../ui/download_service.cpp" line="+20"/>
        <location line="+72"/>
        <source>Download model</source>
        <translation>下載模型</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>&apos;%1&apos; is not a repo id: expected ORG/NAME, e.g. ckiplab/gpt2-base-chinese</source>
        <translation>「%1」不是 repo id：應為 ORG/NAME，例如 ckiplab/gpt2-base-chinese</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>List files</source>
        <translation>列出檔案</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::EpochTable</name>
    <message>
        <location filename="../ui/epoch_table.cpp" line="+59"/>
        <source>Epoch</source>
        <translation>Epoch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Avg. training loss</source>
        <translation>平均訓練損失</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Accuracy</source>
        <translation>準確率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation loss</source>
        <translation>驗證集損失</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+29"/>
        <source>No epoch finished yet</source>
        <translation>尚未完成任何 epoch</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ExperimentDialog</name>
    <message>
        <location filename="../ui/experiment_dialog.cpp" line="+124"/>
        <source>Browse…</source>
        <translation>瀏覽…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Corpus file</source>
        <translation>語料檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>資料夾</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Corpus</source>
        <translation>語料</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Tokenizer</source>
        <translation>分詞器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pretrained model</source>
        <translation>預訓練模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scratch model size</source>
        <translation>從頭訓練的模型大小</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Probe prompts</source>
        <translation>探測提示</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+371"/>
        <source>GPT-2</source>
        <translation>GPT-2</translation>
    </message>
    <message>
        <location line="-371"/>
        <location line="+372"/>
        <source>GPT-2 + Transformer</source>
        <translation>GPT-2 + Transformer</translation>
    </message>
    <message>
        <location line="-368"/>
        <location line="+369"/>
        <source>From scratch</source>
        <translation>從頭訓練</translation>
    </message>
    <message>
        <location line="-369"/>
        <location line="+370"/>
        <source>The pretrained model</source>
        <translation>預訓練模型</translation>
    </message>
    <message>
        <location line="-260"/>
        <source>Choose a corpus file (chitchat text, LCCC JSON or JSONL).</source>
        <translation>請選擇語料檔案（chitchat 文字、LCCC JSON 或 JSONL）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Give the pretrained model the fine-tuned runs start from (a folder or a repo id such as ckiplab/gpt2-base-chinese).</source>
        <translation>請指定微調訓練執行的起點預訓練模型（資料夾或 repo id，例如 ckiplab/gpt2-base-chinese）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;Same size as the pretrained model&quot; needs a pretrained model.</source>
        <translation>「與預訓練模型同樣大小」需要指定預訓練模型。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not in the Hugging Face cache (%2): download it with File → Download Model.</source>
        <translation>%1 不在 Hugging Face 快取中（%2）：請用「檔案 → 下載模型」下載。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 held-out dialogues leave nothing to train on: the corpus has %2.</source>
        <translation>保留 %1 段對話作驗證集後就沒有訓練資料了：語料只有 %2 段。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check at least one run to create.</source>
        <translation>請至少勾選一個要建立的訓練執行。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Run &quot;%1&quot;: give it a name without &apos;/&apos; (it becomes its folder).</source>
        <translation>訓練執行「%1」：請取一個不含「/」的名稱（名稱即其資料夾）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Two runs are named &quot;%1&quot;.</source>
        <translation>有兩個訓練執行都叫「%1」。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run &quot;%1&quot;: %2 already exists.</source>
        <translation>訓練執行「%1」：%2 已經存在。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 (run &quot;%2&quot;)</source>
        <translation>%1（訓練執行「%2」）</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>%1 format: %2 dialogues, %3 utterances, %4 characters per utterance on average; %5% of the dialogues are longer than max_len (cut when prepared)</source>
        <translation>%1 格式：%2 段對話、%3 句，平均每句 %4 個字；%5% 的對話長於 max_len（前處理時截斷）</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>New Experiment</source>
        <translation>新增實驗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data (shared)</source>
        <translation>資料（共用）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training (shared; a run may override)</source>
        <translation>訓練（共用；各訓練執行可覆寫）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs</source>
        <translation>訓練執行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add Run</source>
        <translation>加入訓練執行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove Run</source>
        <translation>移除訓練執行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>folder or repo id; empty: the pretrained model&apos;s, or one built from the corpus</source>
        <translation>資料夾或 repo id；留空：用預訓練模型的，或從語料建立一個</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>folder or repo id, e.g. ckiplab/gpt2-base-chinese</source>
        <translation>資料夾或 repo id，例如 ckiplab/gpt2-base-chinese</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same size as the pretrained model</source>
        <translation>與預訓練模型同樣大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>one prompt per line, answered at every evaluation; empty: 3 held-out dialogues</source>
        <translation>每行一個提示，每次驗證時回答；留空：取 3 段驗證集對話</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create</source>
        <translation>建立</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start from</source>
        <translation>起點</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate (empty: shared)</source>
        <translation>學習率（留空：共用）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Epochs (empty: shared)</source>
        <translation>Epoch 數（留空：共用）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Create and Start</source>
        <translation>建立並開始</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="+213"/>
        <source>ChatBench</source>
        <translation>ChatBench</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training &amp;Monitor</source>
        <translation>訓練監看(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Chat</source>
        <translation>對話(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model C&amp;omparison</source>
        <translation>模型比較(&amp;O)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Engine idle</source>
        <translation>引擎閒置</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Engine: %1, %2 threads</source>
        <translation>引擎：%1，%2 個執行緒</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Engine %1</source>
        <translation>引擎%1</translation>
    </message>
    <message>
        <location line="-103"/>
        <source>Run %1</source>
        <translation>訓練執行 %1</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Saved %1</source>
        <translation>已儲存 %1</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Runs</source>
        <translation>訓練執行</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Open Workspace…</source>
        <translation>開啟工作區(&amp;O)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &amp;Recent</source>
        <translation>最近開啟(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reopen Last Workspace at Start-up</source>
        <translation>啟動時重新開啟上次的工作區</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Download Model…</source>
        <translation>下載模型(&amp;D)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+D</source>
        <translation>Ctrl+Shift+D</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export &amp;Plots…</source>
        <translation>匯出圖表(&amp;P)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export Metrics &amp;CSV…</source>
        <translation>匯出指標 CSV(&amp;C)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export &amp;Report…</source>
        <translation>匯出報告(&amp;R)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>結束(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Run</source>
        <translation>執行(&amp;R)</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+35"/>
        <source>Select a run first</source>
        <translation>請先選擇一個訓練執行</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>Another process is training this run; it can only be watched here</source>
        <translation>另一個程序正在訓練這個執行；這裡只能監看</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Start</source>
        <translation>開始(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Pause</source>
        <translation>暫停(&amp;P)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+Space</source>
        <translation>Ctrl+Shift+Space</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>R&amp;esume</source>
        <translation>繼續(&amp;E)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+.</source>
        <translation>Ctrl+.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Chat with It</source>
        <translation>與它對話(&amp;C)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>C&amp;lone Run…</source>
        <translation>複製訓練執行(&amp;L)…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Clone run %1</source>
        <translation>複製訓練執行 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+%1</source>
        <translation>Ctrl+%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Language</source>
        <translation>語言(&amp;L)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>鍵盤快速鍵(&amp;K)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+/</source>
        <translation>Ctrl+/</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;About ChatBench</source>
        <translation>關於 ChatBench(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About &amp;Qt</source>
        <translation>關於 Qt(&amp;Q)</translation>
    </message>
    <message>
        <location line="-137"/>
        <source>Main</source>
        <translation>主工具列</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+172"/>
        <source>ChatBench — %1</source>
        <translation>ChatBench — %1</translation>
    </message>
    <message>
        <location line="-340"/>
        <source>No runs found in %1 or its runs/ folder (a run is a folder with a run.json; File → New Run creates one).</source>
        <translation>在 %1 或其 runs/ 資料夾中找不到訓練執行（一個執行是含有 run.json 的資料夾；用「檔案 → 新增訓練」建立）。</translation>
    </message>
    <message>
        <location line="+208"/>
        <source>&amp;New Experiment…</source>
        <translation>新增實驗(&amp;N)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New &amp;Run…</source>
        <translation>新增訓練(&amp;R)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+N</source>
        <translation>Ctrl+Shift+N</translation>
    </message>
    <message>
        <location line="+173"/>
        <location line="+23"/>
        <source>Open workspace</source>
        <translation>開啟工作區</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>%1: no such folder</source>
        <translation>%1：沒有這個資料夾</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(none)</source>
        <translation>（無）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear Menu</source>
        <translation>清除選單</translation>
    </message>
    <message numerus="yes">
        <location line="+42"/>
        <source>Creating and starting %n run(s)</source>
        <translation>
            <numerusform>正在建立並開始 %n 個訓練執行</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 is in the Hugging Face cache: use it as a model or a pretrained model by its repo id</source>
        <translation>%1 已在 Hugging Face 快取中：可用其 repo id 作為模型或預訓練模型</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+7"/>
        <source>Export plots</source>
        <translation>匯出圖表</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>PNG (*.png);;PDF (*.pdf)</source>
        <translation>PNG (*.png);;PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+12"/>
        <source>Wrote %1</source>
        <translation>已寫入 %1</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+12"/>
        <source>Cannot write %1</source>
        <translation>無法寫入 %1</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+6"/>
        <source>Export metrics</source>
        <translation>匯出指標</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export the progress report into</source>
        <translation>將進度報告匯出到</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+18"/>
        <source>Export report</source>
        <translation>匯出報告</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>%1: no runs to report on; open a workspace with runs first</source>
        <translation>%1：沒有可報告的訓練執行；請先開啟含有訓練執行的工作區</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Assembling the report of %n run(s)…</source>
        <translation>
            <numerusform>正在彙整 %n 個訓練執行的報告…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Wrote the report %1</source>
        <translation>已寫入報告 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 failed: %2</source>
        <translation>%1 失敗：%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>About ChatBench</source>
        <translation>關於 ChatBench</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;ChatBench %1&lt;/h3&gt;&lt;p&gt;Train, chat with and compare GPT-2 dialogue models.&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ChatBench %1&lt;/h3&gt;&lt;p&gt;訓練 GPT-2 對話模型、與它們對話並加以比較。&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::MessageText</name>
    <message>
        <location filename="../ui/message_text.cpp" line="+191"/>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copy All</source>
        <translation>全部複製</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select All</source>
        <translation>全選</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::MetricsPlot</name>
    <message>
        <location filename="../ui/metrics_plot.cpp" line="+14"/>
        <source>step</source>
        <translation>步數</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>epoch</source>
        <translation>epoch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokens</source>
        <translation>token 數</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>time (s)</source>
        <translation>時間（秒）</translation>
    </message>
    <message>
        <location line="+138"/>
        <source> (valid)</source>
        <translation>（驗證）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> (train)</source>
        <translation>（訓練）</translation>
    </message>
    <message>
        <location line="+261"/>
        <source>%1 at step %2, epoch %3</source>
        <translation>%1，第 %2 步，epoch %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 %2: %3</source>
        <translation>%1 %2：%3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>valid</source>
        <translation>驗證</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>train</source>
        <translation>訓練</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (smoothed %1)</source>
        <translation>（平滑後 %1）</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ModelComparison</name>
    <message>
        <location filename="../ui/model_comparison.cpp" line="+189"/>
        <source>One prompt per line (optionally: prompt&lt;TAB&gt;reference reply), or load a chitchat-format file</source>
        <translation>每行一個提示（可選：提示&lt;TAB&gt;參考回覆），或載入 chitchat 格式的檔案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load prompts…</source>
        <translation>載入提示…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare the Chat pane&apos;s models</source>
        <translation>比較對話窗格中的模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>匯出…</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reference</source>
        <translation>參考回覆</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+279"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="-279"/>
        <source>distinct-1</source>
        <translation>distinct-1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>distinct-2</source>
        <translation>distinct-2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BLEU-2</source>
        <translation>BLEU-2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>BLEU-4</source>
        <translation>BLEU-4</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>mean length</source>
        <translation>平均長度</translation>
    </message>
    <message>
        <location line="-170"/>
        <source>Prompt set</source>
        <translation>提示集</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>Blind A/B judging</source>
        <translation>盲測 A/B 評審</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chosen before Compare: the replies are judged in pairs with the models&apos; names, metrics and lengths hidden until the last vote</source>
        <translation>在比較前選擇：回覆兩兩評審，模型名稱、指標與長度在最後一票之前都會隱藏</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;A&lt;/b&gt;</source>
        <translation>&lt;b&gt;A&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;B&lt;/b&gt;</source>
        <translation>&lt;b&gt;B&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Blind A/B: A is better</source>
        <translation>盲測 A/B：A 較好</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blind A/B: B is better</source>
        <translation>盲測 A/B：B 較好</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blind A/B: tie</source>
        <translation>盲測 A/B：平手</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blind A/B: both bad</source>
        <translation>盲測 A/B：兩者都差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backspace</source>
        <translation>Backspace</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Blind A/B: undo the last vote</source>
        <translation>盲測 A/B：復原上一票</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A is better (←)</source>
        <translation>A 較好 (←)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B is better (→)</source>
        <translation>B 較好 (→)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tie (↓)</source>
        <translation>平手 (↓)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Both bad (↑)</source>
        <translation>兩者都差 (↑)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo (Backspace)</source>
        <translation>復原 (Backspace)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Load prompts</source>
        <translation>載入提示</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: cannot open: %2</source>
        <translation>%1：無法開啟：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the prompts</source>
        <translation>提示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Blind A/B</source>
        <translation>盲測 A/B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blind A/B needs two models or more in the Chat pane; this comparison shows their names.</source>
        <translation>盲測 A/B 需要聊天面板中至少兩個模型；這次比較會顯示模型名稱。</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>%1 / %2 prompts</source>
        <translation>%1 / %2 個提示</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · about %1 left</source>
        <translation> · 約剩 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stopped: %1 of %2 prompts answered, their rows kept</source>
        <translation>已停止：%2 個提示中已回答 %1 個，保留這些列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 / %2 prompts in %3</source>
        <translation>%1 / %2 個提示，耗時 %3</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&lt;p&gt;Generating the replies; the judging starts when every model has answered.&lt;/p&gt;</source>
        <translation>&lt;p&gt;正在產生回覆；所有模型回答完畢後開始評審。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;p&gt;&lt;b&gt;Prompt %1&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;提示 %1&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Save the blind votes</source>
        <translation>儲存盲測投票</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: cannot create the folder</source>
        <translation>%1：無法建立資料夾</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>&lt;p&gt;Nothing was judged: no prompt was answered by every model.&lt;/p&gt;</source>
        <translation>&lt;p&gt;沒有任何評審：沒有提示被所有模型回答。&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>&lt;h3&gt;The reveal: %n vote(s)&lt;/h3&gt;</source>
        <translation>
            <numerusform>&lt;h3&gt;揭曉：%n 票&lt;/h3&gt;</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wins</source>
        <translation>勝</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Losses</source>
        <translation>負</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ties</source>
        <translation>平手</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Both bad</source>
        <translation>兩者都差</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Win rate</source>
        <translation>勝率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>95% interval</source>
        <translation>95% 信賴區間</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rating</source>
        <translation>評分</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Win rate: (wins + ties / 2) / votes; both bad counts as a vote that neither model won. Interval: Wilson 95%.</source>
        <translation>勝率：(勝 + 平手 / 2) / 票數；兩者都差算作雙方都沒贏的一票。區間：Wilson 95%。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rating: Bradley–Terry on the Elo scale (mean 1000).</source>
        <translation>評分：Elo 尺度上的 Bradley–Terry（平均 1000）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The votes are saved in %1.</source>
        <translation>投票已存於 %1。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Markdown (*.md);;CSV (*.csv);;JSON, with the votes (*.json)</source>
        <translation>Markdown (*.md);;CSV (*.csv);;JSON，含投票 (*.json)</translation>
    </message>
    <message>
        <location line="-17"/>
        <location line="+16"/>
        <source>Export comparison</source>
        <translation>匯出比較結果</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::NewRunDialog</name>
    <message>
        <location filename="../ui/new_run_dialog.cpp" line="+28"/>
        <source>New Run</source>
        <translation>新增訓練</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Corpus file</source>
        <translation>語料檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokenizer folder</source>
        <translation>分詞器資料夾</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>folder or repo id; empty: the pretrained model&apos;s, or one built from the corpus</source>
        <translation>資料夾或 repo id；留空：用預訓練模型的，或從語料建立一個</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From scratch</source>
        <translation>從頭訓練</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fine-tune a pretrained model</source>
        <translation>微調預訓練模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+17"/>
        <location line="+105"/>
        <source>Pretrained model</source>
        <translation>預訓練模型</translation>
    </message>
    <message>
        <location line="-121"/>
        <source>folder or repo id, e.g. ckiplab/gpt2-base-chinese</source>
        <translation>資料夾或 repo id，例如 ckiplab/gpt2-base-chinese</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>GPT-2</source>
        <translation>GPT-2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GPT-2 + Transformer encoder</source>
        <translation>GPT-2 + Transformer 編碼器</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+107"/>
        <source>Corpus</source>
        <translation>語料</translation>
    </message>
    <message>
        <location line="-106"/>
        <location line="+107"/>
        <source>Tokenizer</source>
        <translation>分詞器</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+105"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="-104"/>
        <source>Model size preset</source>
        <translation>模型大小預設</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Max length</source>
        <translation>最大長度</translation>
    </message>
    <message>
        <location line="-101"/>
        <source>Create and start</source>
        <translation>建立並開始</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Browse…</source>
        <translation>瀏覽…</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Name: give the run a name without &apos;/&apos; (it becomes its folder).</source>
        <translation>名稱：請為訓練執行取一個不含「/」的名稱（會成為它的資料夾名）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name: %1 already exists; choose another name.</source>
        <translation>名稱：%1 已存在；請換一個名稱。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Corpus: choose a corpus file (chitchat text, LCCC JSON or JSONL).</source>
        <translation>語料：請選擇語料檔案（chitchat 文字檔、LCCC JSON 或 JSONL）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Corpus: %1: no such file.</source>
        <translation>語料：%1：沒有這個檔案。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Corpus: %1: is a folder, not a corpus file.</source>
        <translation>語料：%1：是資料夾，不是語料檔案。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is not in the Hugging Face cache (%2): OK offers to download it.</source>
        <translation>%1 不在 Hugging Face 快取（%2）中：按「確定」可下載。</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Pretrained model: give a folder or a repo id (org/name).</source>
        <translation>預訓練模型：請指定資料夾或 repo id（org/name）。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Download %1?</source>
        <translation>下載 %1？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is not in the Hugging Face cache (%2). Download it now?</source>
        <translation>%1 不在 Hugging Face 快取（%2）中。現在下載嗎？</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ProbePanel</name>
    <message>
        <location filename="../ui/probe_panel.cpp" line="+147"/>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <location line="+53"/>
        <location line="+51"/>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>At step %1 (epoch %2).</source>
        <translation>第 %1 步（epoch %2）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Changed since step %1, which said: %2</source>
        <translation>與第 %1 步不同，當時回答：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The same as at step %1.</source>
        <translation>與第 %1 步相同。</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>Click a reply to see how it changed.</source>
        <translation>點選一則回覆，看它如何隨訓練變化。</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>No probe replies yet: each run answers its probe prompts at every evaluation (run.json train.probes, else held-out dialogues).</source>
        <translation>還沒有探測回覆：每個訓練執行在每次驗證時回答它的探測提示（run.json 的 train.probes，否則取驗證集對話）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The evaluation step whose replies are shown; a click on a curve point chooses it too</source>
        <translation>顯示哪一次驗證的回覆；點選曲線上的點也能選擇</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ReportService</name>
    <message>
        <location filename="../ui/report_service.cpp" line="+14"/>
        <source>assembling the report</source>
        <translation>正在彙整報告</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export report</source>
        <translation>匯出報告</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>idle</source>
        <translation>閒置</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::RunList</name>
    <message>
        <location filename="../ui/run_list.cpp" line="+132"/>
        <source>Run</source>
        <translation>訓練執行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Step</source>
        <translation>步數</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Acc.</source>
        <translation>準確率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Done</source>
        <translation>進度</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Failed: %1</source>
        <translation>失敗：%1</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+35"/>
        <source>%1
Untick to hide its curves</source>
        <translation>%1
取消勾選可隱藏其曲線</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 tokens/s, about %2 min left</source>
        <translation>%1 token/秒，約剩 %2 分鐘</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::SamplingFields</name>
    <message>
        <location filename="../ui/sampling_fields.cpp" line="+117"/>
        <source>This column&apos;s own setting (the shared one differs)</source>
        <translation>本欄自訂的設定（與共用設定不同）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>temperature %1</source>
        <translation>溫度 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-k %1</source>
        <translation>top-k %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-p %1</source>
        <translation>top-p %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>repetition penalty %1</source>
        <translation>重複懲罰 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>max length %1</source>
        <translation>最大長度 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>history %1</source>
        <translation>歷史輪數 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>seed %1</source>
        <translation>種子 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+26"/>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>T</source>
        <translation>溫度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature; 0 = greedy</source>
        <translation>溫度；0 = 貪婪解碼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-k</source>
        <translation>top-k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0 = off; GPT2-chitchat uses 8</source>
        <translation>0 = 關閉；GPT2-chitchat 用 8</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-p</source>
        <translation>top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rep.</source>
        <translation>重複懲罰</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repetition penalty; 1 = off</source>
        <translation>重複懲罰；1 = 關閉</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max len</source>
        <translation>最大長度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The longest reply, in tokens</source>
        <translation>回覆的最大長度（token 數）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>history</source>
        <translation>歷史輪數</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Utterances the model sees, its own replies included</source>
        <translation>模型看到的對話句數，包含它自己的回覆</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>seed</source>
        <translation>種子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply n of a model draws with seed + n, so a chat replays exactly</source>
        <translation>模型的第 n 個回覆以種子 + n 取樣，因此對話可以完全重現</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Decode with bfloat16 copies of the weight matrices: up to ~1.8x faster on the CPU, logits within bfloat16 rounding</source>
        <translation>以權重矩陣的 bfloat16 副本解碼：在 CPU 上最多快約 1.8 倍，logits 差異在 bfloat16 捨入誤差內</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ShortcutsDialog</name>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="+52"/>
        <source>Keyboard Shortcuts</source>
        <translation>鍵盤快速鍵</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Menu %1</source>
        <translation>選單 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What</source>
        <translation>功能</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>按鍵</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::TrainingMonitor</name>
    <message>
        <location filename="../ui/training_monitor.cpp" line="+249"/>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>token accuracy</source>
        <translation>token 準確率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step</source>
        <translation>步數</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Epoch</source>
        <translation>Epoch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokens</source>
        <translation>Token 數</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wall time</source>
        <translation>經過時間</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TensorBoard&apos;s debiased exponential moving average</source>
        <translation>TensorBoard 的去偏指數移動平均</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log scale</source>
        <translation>對數刻度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logarithmic loss axis (accuracy stays linear)</source>
        <translation>損失軸用對數刻度（準確率維持線性）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset view</source>
        <translation>重設檢視</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit every visible curve and follow new points again</source>
        <translation>縮放以容納所有可見曲線，並重新跟隨新資料點</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>X axis:</source>
        <translation>X 軸：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Smoothing:</source>
        <translation>平滑：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>繼續</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show Error</source>
        <translation>顯示錯誤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why this run failed</source>
        <translation>這個訓練執行失敗的原因</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Train this run here, from its latest checkpoint</source>
        <translation>在此從最新的檢查點繼續訓練這個執行</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop at the next step, with a checkpoint</source>
        <translation>在下一步停止，並存檢查點</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Run:</source>
        <translation>訓練執行：</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>Run %1 failed</source>
        <translation>訓練執行 %1 失敗</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Epochs</source>
        <translation>Epoch 數</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probe Replies</source>
        <translation>探測回覆</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>solid: training (smoothed; raw values faint) · dashed with dots: validation · untick a run in the run list to hide it</source>
        <translation>實線：訓練（平滑後；原始值較淡）· 虛線加點：驗證集 · 在訓練執行清單中取消勾選即可隱藏</translation>
    </message>
    <message>
        <location line="+181"/>
        <source>%1 tokens/s, ETA %2, %3</source>
        <translation>%1 token/秒，預計剩餘 %2，%3</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::TrainingRuns</name>
    <message>
        <location filename="../ui/training_runs.cpp" line="+53"/>
        <source>Open workspace</source>
        <translation>開啟工作區</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1: no such folder</source>
        <translation>%1：沒有這個資料夾</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Open run %1</source>
        <translation>開啟訓練執行 %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+41"/>
        <source>Read metrics of %1</source>
        <translation>讀取 %1 的指標</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+6"/>
        <source>Read probe replies of %1</source>
        <translation>讀取 %1 的探測回覆</translation>
    </message>
    <message numerus="yes">
        <location line="-5"/>
        <source>%n malformed line(s) left out, the last: %1</source>
        <translation>
            <numerusform>有 %n 行格式錯誤，已略過，最後一行：%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>%n malformed line(s) left out of the curves, the last: %1</source>
        <translation>
            <numerusform>有 %n 行格式錯誤，未畫入曲線，最後一行：%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(no detail)</source>
        <translation>（無詳細資訊）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>New run %1</source>
        <translation>新增訓練執行 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Demo: preparing the corpora and the base model...</source>
        <translation>示範：正在準備語料與基礎模型...</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Demo: pretraining the base model, step %1 (%2%), loss %3</source>
        <translation>示範：正在預訓練基礎模型，第 %1 步（%2%），損失 %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Demo: training scratch, fine-tuned and GPT-2 + Transformer</source>
        <translation>示範：正在訓練從頭訓練、微調與 GPT-2 + Transformer 三個模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Demo</source>
        <translation>示範</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Start run %1</source>
        <translation>開始訓練執行 %1</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Training</source>
        <translation>訓練</translation>
    </message>
    <message numerus="yes">
        <location line="+29"/>
        <source>training %n run(s)</source>
        <translation>
            <numerusform>正在訓練 %n 個執行</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>idle</source>
        <translation>閒置</translation>
    </message>
</context>
<context>
    <name>chatbench::ui::TrainingSettingsForm</name>
    <message>
        <location filename="../ui/training_settings_form.cpp" line="+118"/>
        <source>Dialogue layout</source>
        <translation>對話格式</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Max length</source>
        <translation>最大長度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Validation dialogues</source>
        <translation>驗證集對話數</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epochs</source>
        <translation>Epoch 數</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Max steps</source>
        <translation>最大步數</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Batch size</source>
        <translation>批次大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Gradient accumulation</source>
        <translation>梯度累積</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>學習率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warm-up steps</source>
        <translation>暖身步數</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Validate every</source>
        <translation>驗證間隔</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Seed</source>
        <translation>隨機種子</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>GPT2-chitchat: [CLS] u1 [SEP] u2 [SEP] …, loss on every token</source>
        <translation>GPT2-chitchat：[CLS] u1 [SEP] u2 [SEP] …，每個 token 都計算損失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CDial-GPT: speaker tokens, loss on the final response</source>
        <translation>CDial-GPT：說話者 token，只對最後一句回覆計算損失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokens per dialogue (GPT2-chitchat: 150)</source>
        <translation>每段對話的 token 數（GPT2-chitchat：150）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dialogues held out for validation</source>
        <translation>保留作驗證集的對話數</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0: train all epochs</source>
        <translation>0：訓練完所有 epoch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>steps; 0: at every epoch&apos;s end</source>
        <translation>步數；0：每個 epoch 結束時</translation>
    </message>
</context>
</TS>
